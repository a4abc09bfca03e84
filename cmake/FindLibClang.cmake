# Finds libclang 19 through llvm-config-19 (plain llvm-config is LLVM 14 on
# Debian 12) and creates the IMPORTED target LibClang::LibClang.
# Override with -DLLVM_CONFIG=/path/to/llvm-config.
find_program(LLVM_CONFIG NAMES llvm-config-19 llvm-config
             DOC "llvm-config of the LLVM whose libclang stackcheck uses")
if(LLVM_CONFIG)
  execute_process(COMMAND ${LLVM_CONFIG} --includedir OUTPUT_VARIABLE _lc_inc OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${LLVM_CONFIG} --libdir OUTPUT_VARIABLE _lc_lib OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${LLVM_CONFIG} --version OUTPUT_VARIABLE LibClang_LLVM_VERSION OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
find_path(LibClang_INCLUDE_DIR clang-c/Index.h HINTS ${_lc_inc} NO_DEFAULT_PATH)
find_library(LibClang_LIBRARY NAMES clang libclang HINTS ${_lc_lib} NO_DEFAULT_PATH)
if(LibClang_INCLUDE_DIR AND EXISTS "${LibClang_INCLUDE_DIR}/clang-c/Index.h")
  file(STRINGS "${LibClang_INCLUDE_DIR}/clang-c/Index.h" _lc_minor REGEX "^#define CINDEX_VERSION_MINOR [0-9]+")
  string(REGEX REPLACE ".* ([0-9]+)$" "\\1" LibClang_CINDEX_MINOR "${_lc_minor}")
  if(LibClang_CINDEX_MINOR LESS 64)
    message(FATAL_ERROR "libclang CINDEX 0.${LibClang_CINDEX_MINOR} is too old: stackcheck needs 0.64 (LLVM 19). Install libclang-19-dev or pass -DLLVM_CONFIG=llvm-config-19")
  endif()
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibClang REQUIRED_VARS LibClang_LIBRARY LibClang_INCLUDE_DIR
  VERSION_VAR LibClang_LLVM_VERSION)
if(LibClang_FOUND AND NOT TARGET LibClang::LibClang)
  add_library(LibClang::LibClang UNKNOWN IMPORTED)
  set_target_properties(LibClang::LibClang PROPERTIES
    IMPORTED_LOCATION "${LibClang_LIBRARY}"
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${LibClang_INCLUDE_DIR}")
  target_include_directories(LibClang::LibClang SYSTEM INTERFACE "${LibClang_INCLUDE_DIR}")
endif()
