# Finds third-party libraries. Natively they come from Debian's -dev packages;
# for the Windows build from the prefix that scripts/setup.sh builds from
# Debian source packages (CMAKE_PREFIX_PATH / PKG_CONFIG_LIBDIR set by the
# toolchain file).
find_package(PkgConfig REQUIRED)

if(NOT WIN32)
  pkg_check_modules(HIVEX REQUIRED IMPORTED_TARGET hivex)
endif()
if(REPROFILE_TESTS)
  pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
endif()
