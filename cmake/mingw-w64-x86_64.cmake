# Toolchain file: Windows x64 cross build with mingw-w64 (Debian's gcc-mingw-w64).
#   cmake -S . -B build/win64 -G Ninja \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake
# Third-party libraries come from the prefix scripts/setup.sh builds from Debian
# source packages (REPROFILE_DEPS_PREFIX, default .deps/win64 in the source tree).
# Tests run under Wine through CMAKE_CROSSCOMPILING_EMULATOR (see RpWine.cmake).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(RP_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${RP_MINGW_TRIPLE}-gcc)
set(CMAKE_RC_COMPILER ${RP_MINGW_TRIPLE}-windres)
set(CMAKE_AR ${RP_MINGW_TRIPLE}-ar CACHE FILEPATH "archiver")
set(CMAKE_RANLIB ${RP_MINGW_TRIPLE}-ranlib CACHE FILEPATH "ranlib")

if(NOT REPROFILE_DEPS_PREFIX)
  get_filename_component(REPROFILE_DEPS_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../.deps/win64"
                         ABSOLUTE)
endif()
set(REPROFILE_DEPS_PREFIX "${REPROFILE_DEPS_PREFIX}" CACHE PATH
    "Prefix with the Windows builds of libcurl, libxml2 and cmocka")

set(CMAKE_FIND_ROOT_PATH /usr/${RP_MINGW_TRIPLE} ${REPROFILE_DEPS_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Only the cross prefix's .pc files, and with their Libs.private: every
# dependency is a static library, so pkg_check_modules() yields complete link
# lines (ws2_32, crypt32, ...) and targets resolve exactly as natively.
set(ENV{PKG_CONFIG_LIBDIR} "${REPROFILE_DEPS_PREFIX}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(PKG_CONFIG_ARGN "--static" CACHE STRING "Arguments to supply to pkg-config")

# One self-contained .exe (no libgcc/winpthread DLLs to find under Wine or on
# the target machine).
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
