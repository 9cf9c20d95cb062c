/* libFuzzer target: the frame decoder and every body parser the capture runs on bytes from the bridge.
 * Whatever the input, they must not read out of bounds, crash or accept a frame with a wrong tag. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pwb_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                     17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
    size_t off = 0;
    /* Walk the input as a stream of frames, as read_frame would see them. */
    while (off < size) {
        pwb_frame f;
        size_t used = 0;
        int rc = pwb_frame_decode(data + off, size - off, (data[off] & 1) ? key : NULL, &f, &used);
        if (rc != PWB_OK) break;
        uint8_t nb[PWB_NONCE], id[PWB_ID], status;
        uint16_t reason;
        uint32_t version;
        switch (f.type) {
        case PWB_CHALLENGE: (void)pwb_parse_challenge(f.body, f.body_len, nb); break;
        case PWB_HELLO_ACK: (void)pwb_parse_hello_ack(f.body, f.body_len, &version); break;
        case PWB_ACK: (void)pwb_parse_ack(f.body, f.body_len, id, &status, &reason); break;
        default: break;
        }
        if (used == 0 || used > size - off) __builtin_trap(); /* the decoder must always make progress in bounds */
        off += used;
    }
    /* The body parsers on the raw input too: through the decoder a tagged ACK or HELLO_ACK needs a valid
     * HMAC, which the fuzzer cannot make, so without this they would never see its bytes. */
    {
        uint8_t nb[PWB_NONCE], id[PWB_ID], status;
        uint16_t reason;
        uint32_t version;
        (void)pwb_parse_challenge(data, size, nb);
        (void)pwb_parse_hello_ack(data, size, &version);
        (void)pwb_parse_ack(data, size, id, &status, &reason);
    }
    /* Names: the validator must agree with itself on every prefix. */
    if (size <= PWB_MAX_NAME) (void)pwb_name_ok(data, size);
    return 0;
}
