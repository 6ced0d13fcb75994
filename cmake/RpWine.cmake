# Windows build only: tests run under Wine through CMAKE_CROSSCOMPILING_EMULATOR.
# The emulator is a generated wrapper (cmake/wine-run.sh.in) owning one Wine
# prefix inside the build tree, so ctest, scenario scripts ($RP_WINE reg ...)
# and developers all use the same registry.
find_program(RP_WINE wine REQUIRED)
find_program(RP_WINEBOOT wineboot REQUIRED)
find_program(RP_WINESERVER wineserver REQUIRED)
# Wine's 64-bit PE DLLs, which the wrapper links into the prefix ("" = copy).
find_path(RP_WINE_PE_DIR kernel32.dll NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH
          PATHS /usr/lib/x86_64-linux-gnu/wine/x86_64-windows /usr/lib/wine/x86_64-windows
                /usr/lib64/wine/x86_64-windows)
if(NOT RP_WINE_PE_DIR)
  set(RP_WINE_PE_DIR "")
endif()
set(RP_WINEPREFIX ${PROJECT_BINARY_DIR}/wineprefix)
set(RP_WINE_RUN ${PROJECT_BINARY_DIR}/wine-run)
configure_file(${CMAKE_CURRENT_LIST_DIR}/wine-run.sh.in ${RP_WINE_RUN} @ONLY
               FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
               GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${RP_WINE_RUN})
endif()
