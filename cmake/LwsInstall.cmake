# Install rules: the file layout of a libwebsockets 4.3 installation.
#
#   <libdir>/libwebsockets.so.19          (SONAME libwebsockets.so.19)
#   <libdir>/libwebsockets.so -> libwebsockets.so.19
#   <libdir>/libwebsockets.a
#   <includedir>/libwebsockets.h, lws_config.h, libwebsockets/*.h
#   <libdir>/pkgconfig/libwebsockets.pc, libwebsockets_static.pc
#   <libdir>/cmake/libwebsockets/{libwebsockets-config.cmake, libwebsockets-config-version.cmake,
#                                 LibwebsocketsTargets.cmake, LwsCheckRequirements.cmake}
#
# Every generated file finds the prefix relative to its own location, so an installed tree
# can be moved (and `cmake --install build --prefix X` works whatever prefix was configured).
include(GNUInstallDirs)

foreach(_dir CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
  if(IS_ABSOLUTE "${${_dir}}")
    message(FATAL_ERROR "lws-rs: ${_dir} must be relative to the prefix (got ${${_dir}})")
  endif()
endforeach()

set(LWS_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/libwebsockets")
set(LWS_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

# "../.." style paths from an installed directory back up to the prefix.
file(RELATIVE_PATH LWS_PC_TO_PREFIX "/p/${LWS_INSTALL_PKGCONFIGDIR}" "/p")
file(RELATIVE_PATH LWS_CMAKE_TO_PREFIX "/p/${LWS_INSTALL_CMAKEDIR}" "/p")
string(REGEX REPLACE "/$" "" LWS_PC_TO_PREFIX "${LWS_PC_TO_PREFIX}")
string(REGEX REPLACE "/$" "" LWS_CMAKE_TO_PREFIX "${LWS_CMAKE_TO_PREFIX}")
# The .pc files find the prefix from their own place, except for the system prefix /usr (the
# Debian package): there prefix=/usr lets pkg-config drop -I/usr/include and -L of the
# system libdir, as it does for Debian's own libwebsockets.pc.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(LWS_PC_PREFIX "/usr")
else()
  set(LWS_PC_PREFIX "\${pcfiledir}/${LWS_PC_TO_PREFIX}")
endif()

# Values substituted into the templates.
set(LWS_VERSION "${PROJECT_VERSION}")
string(REPLACE ";" " -l" LWS_PC_STATIC_LIBS "-l${LWS_NATIVE_STATIC_LIBS}")
string(REPLACE ";" " " LWS_NATIVE_STATIC_LIBS_SPACED "${LWS_NATIVE_STATIC_LIBS}")

set(_lws_gen "${CMAKE_CURRENT_BINARY_DIR}/generated")
configure_file("${PROJECT_SOURCE_DIR}/libwebsockets.pc.in" "${_lws_gen}/libwebsockets.pc" @ONLY)
configure_file("${PROJECT_SOURCE_DIR}/libwebsockets_static.pc.in" "${_lws_gen}/libwebsockets_static.pc" @ONLY)
configure_file("${PROJECT_SOURCE_DIR}/cmake/libwebsockets-config.cmake.in"
               "${_lws_gen}/libwebsockets-config.cmake" @ONLY)
configure_file("${PROJECT_SOURCE_DIR}/cmake/libwebsockets-config-version.cmake.in"
               "${_lws_gen}/libwebsockets-config-version.cmake" @ONLY)
configure_file("${PROJECT_SOURCE_DIR}/cmake/LibwebsocketsTargets.cmake.in"
               "${_lws_gen}/LibwebsocketsTargets.cmake" @ONLY)

# Libraries. Cargo always names the shared library libwebsockets.so; the staged copy already
# carries the SONAME name, and the development link is made at install time so that it lands
# under the prefix given to `cmake --install --prefix`, not the configured one.
install(FILES "${LWS_STAGED_SO}"
        DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                    WORLD_READ WORLD_EXECUTE)
install(CODE "
  set(_lws_link \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/libwebsockets.so\")
  message(STATUS \"Installing: \${_lws_link} -> ${LWS_SONAME}\")
  file(REMOVE \"\${_lws_link}\")
  file(CREATE_LINK \"${LWS_SONAME}\" \"\${_lws_link}\" SYMBOLIC)
")
install(FILES "${LWS_STATIC_LIB}" DESTINATION "${CMAKE_INSTALL_LIBDIR}")

# Headers: the umbrella header, lws_config.h and the libwebsockets/ directory.
install(DIRECTORY "${LWS_INCLUDE_DIR}/"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.h")

install(FILES "${_lws_gen}/libwebsockets.pc" "${_lws_gen}/libwebsockets_static.pc"
        DESTINATION "${LWS_INSTALL_PKGCONFIGDIR}")

install(FILES "${_lws_gen}/libwebsockets-config.cmake"
              "${_lws_gen}/libwebsockets-config-version.cmake"
              "${_lws_gen}/LibwebsocketsTargets.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/LwsCheckRequirements.cmake"
        DESTINATION "${LWS_INSTALL_CMAKEDIR}")
