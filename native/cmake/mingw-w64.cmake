# Cross-compile for 64-bit Windows with mingw-w64 on Linux (Debian: apt-get install mingw-w64).
# Used by native/build-windows.sh: cmake -S native/lsa -DCMAKE_TOOLCHAIN_FILE=native/cmake/mingw-w64.cmake
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(PWB_MINGW_PREFIX x86_64-w64-mingw32 CACHE STRING "mingw-w64 tool prefix")
set(CMAKE_C_COMPILER ${PWB_MINGW_PREFIX}-gcc)
set(CMAKE_RC_COMPILER ${PWB_MINGW_PREFIX}-windres)
set(CMAKE_MC_COMPILER ${PWB_MINGW_PREFIX}-windmc) # the event messages (native/lsa: pwbridge_messages.dll)
set(CMAKE_FIND_ROOT_PATH /usr/${PWB_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
