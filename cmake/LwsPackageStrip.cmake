# Run by cpack on the staged files before it packs them (CPACK_PRE_BUILD_SCRIPTS): the
# release profile keeps debug information (for profiling); a package ships without it,
# as Debian's own libraries do. --strip-debug keeps the symbol tables both libraries need.
file(GLOB_RECURSE _lws_libs
     "${CPACK_TEMPORARY_DIRECTORY}/*/libwebsockets.so.19" "${CPACK_TEMPORARY_DIRECTORY}/*/libwebsockets.a")
if(NOT _lws_libs)
  message(FATAL_ERROR "lws-rs: no staged libwebsockets.so.19 / libwebsockets.a under ${CPACK_TEMPORARY_DIRECTORY}")
endif()
foreach(_lws_lib IN LISTS _lws_libs)
  execute_process(COMMAND "${CPACK_LWS_STRIP}" --strip-debug "${_lws_lib}" RESULT_VARIABLE _lws_rc)
  if(NOT _lws_rc EQUAL 0)
    message(FATAL_ERROR "lws-rs: ${CPACK_LWS_STRIP} --strip-debug ${_lws_lib} failed (${_lws_rc})")
  endif()
  message(STATUS "lws-rs: stripped debug information from ${_lws_lib}")
endforeach()
