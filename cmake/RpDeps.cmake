# Finds third-party libraries. Natively they come from Debian's -dev packages;
# for the Windows build from the prefix that scripts/setup.sh builds from
# Debian source packages (the toolchain file points pkg-config at it and asks
# for static link lines). Both builds therefore see the same targets:
#   PkgConfig::LIBCURL  libcurl (OpenSSL natively, Schannel+SSPI on Windows)
#   PkgConfig::LIBXML2  libxml2
#   rp_dep_ldap         OpenLDAP's libldap natively, wldap32 on Windows
#   PkgConfig::HIVEX, PkgConfig::SODIUM, PkgConfig::JANSSON   native build only
#   PkgConfig::CMOCKA   tests
find_package(PkgConfig REQUIRED)
if(WIN32)
  # pkg_check_modules() turns -lfoo into a path with find_library(), which
  # would prefer mingw's DLL import libraries (libwinpthread.dll.a): static only.
  set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
endif()

pkg_check_modules(LIBCURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)

add_library(rp_dep_ldap INTERFACE)
if(WIN32)
  target_link_libraries(rp_dep_ldap INTERFACE wldap32)
else()
  pkg_check_modules(LDAP REQUIRED IMPORTED_TARGET ldap)
  target_link_libraries(rp_dep_ldap INTERFACE PkgConfig::LDAP)
  pkg_check_modules(HIVEX REQUIRED IMPORTED_TARGET hivex)
  pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
  # `reprofile report`'s JSON reader (src/report/rpt_agg.c)
  pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
endif()

if(REPROFILE_TESTS)
  pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
endif()
