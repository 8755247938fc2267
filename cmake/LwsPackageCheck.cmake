# Run by cpack before it packages (CPACK_PROJECT_CONFIG_FILE, set in cmake/LwsPackage.cmake).
# A Debian package of lws-rs must install to /usr with the multiarch libdir; anything else
# would put libwebsockets.so.19 where neither the dynamic linker's usual directories nor
# pkg-config and find_package of Debian's libwebsockets look.
if(CPACK_GENERATOR STREQUAL "DEB")
  set(_lws_want_libdir "lib")
  if(NOT CPACK_LWS_LIBRARY_ARCHITECTURE STREQUAL "")
    set(_lws_want_libdir "lib/${CPACK_LWS_LIBRARY_ARCHITECTURE}")
  endif()
  if(NOT CPACK_LWS_INSTALL_PREFIX STREQUAL "/usr" OR NOT CPACK_LWS_INSTALL_LIBDIR STREQUAL _lws_want_libdir)
    message(FATAL_ERROR
      "lws-rs: this build installs to ${CPACK_LWS_INSTALL_PREFIX}/${CPACK_LWS_INSTALL_LIBDIR}; "
      "a Debian package needs /usr/${_lws_want_libdir}. Configure a build for it with\n"
      "  cmake -S . -B build-deb -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr")
  endif()
  if(NOT CPACK_LWS_CARGO_PROFILE STREQUAL "release")
    message(WARNING "lws-rs: packaging the cargo ${CPACK_LWS_CARGO_PROFILE} profile; "
                    "configure with -DCMAKE_BUILD_TYPE=Release for an optimised library")
  endif()
endif()
