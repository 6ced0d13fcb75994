# rp_add_unit_test(NAME name SOURCES a.c b.c LIBS lib1 lib2)
# A cmocka test program; under a cross build ctest runs it through
# CMAKE_CROSSCOMPILING_EMULATOR (wine), so one ctest covers both builds.
function(rp_add_unit_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} PkgConfig::CMOCKA)
  target_compile_definitions(${T_NAME} PRIVATE
    RP_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    RP_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
  add_test(NAME unit.${T_NAME} COMMAND ${T_NAME})
  set_tests_properties(unit.${T_NAME} PROPERTIES LABELS "unit")
endfunction()

# rp_add_script_test(NAME name SCRIPT path [ARGS ...])
# A shell scenario driving the real binary. It receives, in the environment:
#   REPROFILE      path of the reprofile binary under test
#   RP_EMULATOR    command prefix to run it ("" natively, "wine" for Windows)
#   RP_SOURCE_DIR  source tree, RP_SHARED_DIR ../shared, RP_BUILD_DIR build tree
#   RP_TMP         a fresh scratch folder for this test
# Exit 0 = pass, 77 = skipped (with a note on stdout), anything else = fail.
function(rp_add_script_test)
  cmake_parse_arguments(T "" "NAME;SCRIPT" "ARGS;LABELS" ${ARGN})
  set(emu "")
  if(CMAKE_CROSSCOMPILING_EMULATOR)
    string(JOIN " " emu ${CMAKE_CROSSCOMPILING_EMULATOR})
  endif()
  add_test(NAME ${T_NAME}
    COMMAND ${CMAKE_COMMAND} -E env
      REPROFILE=$<TARGET_FILE:reprofile>
      "RP_EMULATOR=${emu}"
      RP_SOURCE_DIR=${PROJECT_SOURCE_DIR}
      RP_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared
      RP_BUILD_DIR=${PROJECT_BINARY_DIR}
      RP_TMP=${PROJECT_BINARY_DIR}/tmp/${T_NAME}
      sh ${T_SCRIPT} ${T_ARGS})
  set_tests_properties(${T_NAME} PROPERTIES SKIP_RETURN_CODE 77
                       LABELS "integration;${T_LABELS}")
endfunction()
