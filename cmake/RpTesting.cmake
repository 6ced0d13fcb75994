# Test registration helpers. In the Windows cross build every test name gets
# the prefix "win64." and the label "win64", and ctest runs the programs through
# CMAKE_CROSSCOMPILING_EMULATOR (Wine, see RpWine.cmake). A native tree
# configured with -DREPROFILE_WIN64_BUILD_DIR=<win64 tree> also runs that
# tree's tests, so one ctest covers both builds.
set(RP_TEST_PREFIX "")
set(RP_TEST_LABELS "")
set(RP_TEST_ENV RP_PLATFORM=posix RP_WINE=)
if(WIN32 AND CMAKE_CROSSCOMPILING)
  set(RP_TEST_PREFIX "win64.")
  set(RP_TEST_LABELS "win64")
  # Scenario scripts reach the binary's registry with "$RP_WINE reg import ..."
  # (or plain wine: the variables below select the same prefix).
  set(RP_TEST_ENV RP_PLATFORM=windows RP_WINE=${RP_WINE_RUN} WINEPREFIX=${RP_WINEPREFIX}
                  WINEDEBUG=-all "WINEDLLOVERRIDES=mscoree,mshtml=" WINEARCH=win64)
endif()

# rp_add_unit_test(NAME name SOURCES a.c b.c LIBS lib1 lib2)
# A cmocka test program, registered as unit.<name> (win64.unit.<name>).
function(rp_add_unit_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} PkgConfig::CMOCKA)
  target_compile_definitions(${T_NAME} PRIVATE
    RP_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    RP_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
  set(name ${RP_TEST_PREFIX}unit.${T_NAME})
  add_test(NAME ${name} COMMAND ${T_NAME})
  set_tests_properties(${name} PROPERTIES LABELS "unit;${RP_TEST_LABELS}")
endfunction()

# Runs "$0 $@" in a fresh $RP_TMP and removes it afterwards unless the script
# failed or RP_KEEP_TMP is set, so scratch files (large test images...) do not
# pile up in the build tree.
set(rp_script_runner [=[rm -rf "$RP_TMP" && mkdir -p "$RP_TMP" || exit 1
sh "$0" "$@"
rc=$?
case $rc in 0 | 77) [ -n "${RP_KEEP_TMP:-}" ] || rm -rf "$RP_TMP" ;; esac
exit $rc]=])

# rp_add_script_test(NAME name SCRIPT path [ARGS ...] [LABELS ...])
# A shell scenario driving the real binary, registered as <name>
# (win64.<name>). It receives, in the environment:
#   REPROFILE      path of the reprofile binary under test
#   RP_EMULATOR    command prefix to run it ("" natively, the Wine wrapper for
#                  Windows): always run it as  $RP_EMULATOR "$REPROFILE" ...
#   RP_PLATFORM    posix | windows
#   RP_WINE        Windows build: the Wine wrapper, to run Wine's tools in the
#                  binary's prefix ($RP_WINE reg import f.reg; $RP_WINE reg
#                  export 'HKCU\Software\...' out.reg /y); "" natively
#   WINEPREFIX, WINEDEBUG, WINEDLLOVERRIDES   Windows build: the same prefix
#   RP_SOURCE_DIR  source tree, RP_SHARED_DIR ../shared, RP_BUILD_DIR build tree
#   RP_TMP         a fresh, empty scratch folder for this test, removed after
#                  a pass or skip (kept after a failure, or with RP_KEEP_TMP=1)
#   RP_TEST_NAME   this test's ctest name
# Exit 0 = pass, 77 = skipped (with a note on stdout), anything else = fail.
# A script asks for the programs it runs with rp_need (scripts/tools.sh):
#   . "$RP_SOURCE_DIR/scripts/tools.sh"; rp_need openssl python3
# which skips when one is missing, but fails under CI=true (one line naming
# the tool and its Debian package): every tool of scripts/tools.txt is
# promised by scripts/setup.sh. Exit 77 directly only for what no set-up can
# change (e.g. a Windows-only scenario in the native build).
function(rp_add_script_test)
  cmake_parse_arguments(T "" "NAME;SCRIPT" "ARGS;LABELS" ${ARGN})
  set(emu "")
  if(CMAKE_CROSSCOMPILING_EMULATOR)
    string(JOIN " " emu ${CMAKE_CROSSCOMPILING_EMULATOR})
  endif()
  set(name ${RP_TEST_PREFIX}${T_NAME})
  set(tmp ${PROJECT_BINARY_DIR}/tmp/${name})
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} -E env
      REPROFILE=$<TARGET_FILE:reprofile>
      "RP_EMULATOR=${emu}"
      ${RP_TEST_ENV}
      RP_SOURCE_DIR=${PROJECT_SOURCE_DIR}
      RP_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared
      RP_BUILD_DIR=${PROJECT_BINARY_DIR}
      RP_TMP=${tmp}
      RP_TEST_NAME=${name}
      sh -c "${rp_script_runner}" ${T_SCRIPT} ${T_ARGS})
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77
                       LABELS "integration;${RP_TEST_LABELS};${T_LABELS}")
endfunction()

# The Windows tree's tests, included into this (native) tree's ctest.
set(REPROFILE_WIN64_BUILD_DIR "" CACHE PATH
    "Windows build tree whose tests (win64.*) this tree's ctest runs too")
if(REPROFILE_WIN64_BUILD_DIR AND NOT CMAKE_CROSSCOMPILING)
  get_filename_component(win64_dir "${REPROFILE_WIN64_BUILD_DIR}" ABSOLUTE)
  # subdirs() with an absolute path: ctest enters that tree as if it were ours.
  file(WRITE ${PROJECT_BINARY_DIR}/win64-tests.cmake
"if(EXISTS \"${win64_dir}/CTestTestfile.cmake\")
  subdirs(\"${win64_dir}\")
else()
  add_test(win64.build-missing sh -c \"echo '${win64_dir} is not configured: run scripts/setup.sh'; exit 1\")
endif()
")
  set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY TEST_INCLUDE_FILES
               ${PROJECT_BINARY_DIR}/win64-tests.cmake)
endif()
