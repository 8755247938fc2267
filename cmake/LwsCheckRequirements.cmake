# Helpers for projects built against lws-rs (libwebsockets 4.3 API), loaded by
# libwebsockets-config.cmake; `include(LwsCheckRequirements)` works too once
# LWS_CMAKE_DIR is on CMAKE_MODULE_PATH.
#
# require_lws_config(<MACRO> <1|0> <result-var>)
#   Compiles `#include <libwebsockets.h>` and tests whether lws_config.h defines MACRO.
#   When that is not what <1|0> asks for, prints why and sets <result-var> to 0 in the
#   caller's scope; otherwise leaves <result-var> alone, so several calls can share one
#   variable that starts at 1.
#
# require_pthreads(<result-var>)
#   Checks that <pthread.h> is usable; sets <result-var> to 0 when it is not, and
#   PTHREAD_LIB to "pthread" when it is.

include(CheckCSourceCompiles)
include(CheckIncludeFile)

function(require_lws_config reqconfig _val result)
  set(_lws_src "#include <libwebsockets.h>
#if !defined(${reqconfig})
#error ${reqconfig} is not defined by lws_config.h
#endif
int main(void) { return 0; }
")
  # One cached answer per macro ("is it defined?"), whatever value a caller wants.
  check_c_source_compiles("${_lws_src}" HAS_${reqconfig})

  if(_val)
    set(_lws_want TRUE)
  else()
    set(_lws_want FALSE)
  endif()
  if(HAS_${reqconfig})
    set(_lws_have TRUE)
  else()
    set(_lws_have FALSE)
  endif()

  if(NOT _lws_want STREQUAL _lws_have)
    if(_lws_want)
      message(STATUS "${PROJECT_NAME}: needs libwebsockets built with ${reqconfig}; it is not set, skipping")
    else()
      message(STATUS "${PROJECT_NAME}: needs libwebsockets built without ${reqconfig}; it is set, skipping")
    endif()
    set(${result} 0 PARENT_SCOPE)
  endif()
endfunction()

function(require_pthreads result)
  check_include_file(pthread.h LWS_CHECK_HAVE_PTHREAD_H)
  if(LWS_CHECK_HAVE_PTHREAD_H)
    set(PTHREAD_LIB pthread PARENT_SCOPE)
  else()
    message(STATUS "${PROJECT_NAME}: needs pthreads, <pthread.h> not found, skipping")
    set(${result} 0 PARENT_SCOPE)
  endif()
endfunction()
