/* NOT the cJSON library. A small JSON reader written for this project that offers exactly the calls
 * native/tests/codec_test.c makes (parse, object member, array item, array loop, string, number, delete),
 * under the header name that test includes. With it the same test source, unchanged, checks the BCrypt
 * backend against the same test/vectors/frames.json as the OpenSSL one: no second copy of the checks, no
 * converted vector file. Test-only (it mallocs, it trusts its input's size); never linked into the DLL. */
#ifndef PWB_TEST_JSON_H
#define PWB_TEST_JSON_H

#include <stdlib.h>
#include <string.h>

#define cJSON_Invalid 0
#define cJSON_False 1
#define cJSON_True 2
#define cJSON_NULL 3
#define cJSON_Number 4
#define cJSON_String 5
#define cJSON_Array 6
#define cJSON_Object 7

typedef struct cJSON {
    struct cJSON *next;
    struct cJSON *child;
    int type;
    char *valuestring;
    double valuedouble;
    char *string; /* the member name, inside an object */
} cJSON;

typedef struct {
    const char *p, *end;
    int failed;
} pwb_json_in;

static inline void pwb_json_ws(pwb_json_in *in)
{
    while (in->p < in->end && (*in->p == ' ' || *in->p == '\n' || *in->p == '\r' || *in->p == '\t')) in->p++;
}

static inline void pwb_json_utf8(char **o, unsigned long cp)
{
    char *q = *o;
    if (cp < 0x80) *q++ = (char)cp;
    else if (cp < 0x800) { *q++ = (char)(0xC0 | (cp >> 6)); *q++ = (char)(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) { *q++ = (char)(0xE0 | (cp >> 12)); *q++ = (char)(0x80 | ((cp >> 6) & 0x3F)); *q++ = (char)(0x80 | (cp & 0x3F)); }
    else { *q++ = (char)(0xF0 | (cp >> 18)); *q++ = (char)(0x80 | ((cp >> 12) & 0x3F)); *q++ = (char)(0x80 | ((cp >> 6) & 0x3F)); *q++ = (char)(0x80 | (cp & 0x3F)); }
    *o = q;
}

static inline unsigned long pwb_json_hex4(pwb_json_in *in)
{
    unsigned long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = in->p < in->end ? *in->p++ : 0;
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned long)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned long)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned long)(c - 'A' + 10);
        else in->failed = 1;
    }
    return v;
}

/* A string after its opening quote; NUL-terminated UTF-8, malloc'd. */
static inline char *pwb_json_string(pwb_json_in *in)
{
    char *out = malloc((size_t)(in->end - in->p) * 2 + 1), *o = out;
    if (!out) { in->failed = 1; return NULL; }
    while (in->p < in->end && *in->p != '"') {
        char c = *in->p++;
        if (c != '\\') { *o++ = c; continue; }
        char e = in->p < in->end ? *in->p++ : 0;
        switch (e) {
        case '"': case '\\': case '/': *o++ = e; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            unsigned long cp = pwb_json_hex4(in);
            if (cp >= 0xD800 && cp <= 0xDBFF && in->end - in->p >= 6 && in->p[0] == '\\' && in->p[1] == 'u') {
                in->p += 2;
                unsigned long lo = pwb_json_hex4(in);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            pwb_json_utf8(&o, cp);
            break;
        }
        default: in->failed = 1;
        }
    }
    if (in->p >= in->end) in->failed = 1;
    else in->p++; /* closing quote */
    *o = '\0';
    return out;
}

static inline void cJSON_Delete(cJSON *item)
{
    while (item) {
        cJSON *next = item->next;
        cJSON_Delete(item->child);
        free(item->valuestring);
        free(item->string);
        free(item);
        item = next;
    }
}

static inline cJSON *pwb_json_value(pwb_json_in *in, int depth)
{
    cJSON *v = calloc(1, sizeof *v);
    if (!v || depth > 64) { free(v); in->failed = 1; return NULL; }
    pwb_json_ws(in);
    char c = in->p < in->end ? *in->p : 0;
    if (c == '{' || c == '[') {
        int obj = c == '{';
        cJSON **tail = &v->child;
        v->type = obj ? cJSON_Object : cJSON_Array;
        in->p++;
        pwb_json_ws(in);
        if (in->p < in->end && *in->p == (obj ? '}' : ']')) { in->p++; return v; }
        for (;;) {
            char *name = NULL;
            if (obj) {
                pwb_json_ws(in);
                if (in->p >= in->end || *in->p != '"') { in->failed = 1; break; }
                in->p++;
                name = pwb_json_string(in);
                pwb_json_ws(in);
                if (in->p >= in->end || *in->p != ':') { free(name); in->failed = 1; break; }
                in->p++;
            }
            cJSON *m = pwb_json_value(in, depth + 1);
            if (!m) { free(name); in->failed = 1; break; }
            m->string = name;
            *tail = m;
            tail = &m->next;
            pwb_json_ws(in);
            if (in->p < in->end && *in->p == ',') { in->p++; continue; }
            if (in->p < in->end && *in->p == (obj ? '}' : ']')) { in->p++; break; }
            in->failed = 1;
            break;
        }
    } else if (c == '"') {
        in->p++;
        v->type = cJSON_String;
        v->valuestring = pwb_json_string(in);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        char buf[64];
        size_t n = 0;
        while (in->p < in->end && n < sizeof buf - 1 && strchr("+-.eE0123456789", *in->p)) buf[n++] = *in->p++;
        buf[n] = '\0';
        v->type = cJSON_Number;
        v->valuedouble = strtod(buf, NULL);
    } else if (in->end - in->p >= 4 && memcmp(in->p, "true", 4) == 0) { v->type = cJSON_True; in->p += 4; }
    else if (in->end - in->p >= 5 && memcmp(in->p, "false", 5) == 0) { v->type = cJSON_False; in->p += 5; }
    else if (in->end - in->p >= 4 && memcmp(in->p, "null", 4) == 0) { v->type = cJSON_NULL; in->p += 4; }
    else in->failed = 1;
    if (in->failed) { cJSON_Delete(v); return NULL; }
    return v;
}

static inline cJSON *cJSON_ParseWithLength(const char *text, size_t len)
{
    pwb_json_in in = { text, text + len, 0 };
    cJSON *root = pwb_json_value(&in, 0);
    pwb_json_ws(&in);
    if (root && (in.failed || in.p != in.end)) { cJSON_Delete(root); root = NULL; }
    return root;
}

static inline cJSON *cJSON_GetObjectItemCaseSensitive(const cJSON *object, const char *name)
{
    if (!object || object->type != cJSON_Object) return NULL;
    for (cJSON *m = object->child; m; m = m->next)
        if (m->string && strcmp(m->string, name) == 0) return m;
    return NULL;
}

static inline cJSON *cJSON_GetArrayItem(const cJSON *array, int index)
{
    if (!array || array->type != cJSON_Array) return NULL;
    cJSON *m = array->child;
    while (m && index-- > 0) m = m->next;
    return m;
}

static inline int cJSON_IsString(const cJSON *item) { return item && item->type == cJSON_String; }
static inline int cJSON_IsNumber(const cJSON *item) { return item && item->type == cJSON_Number; }

#define cJSON_ArrayForEach(element, array) \
    for ((element) = ((array) != NULL) ? (array)->child : NULL; (element) != NULL; (element) = (element)->next)

#endif
