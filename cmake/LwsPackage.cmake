# Debian package of the install tree (cmake/LwsInstall.cmake): `cpack -G DEB` in a build
# configured for the system prefix,
#
#   cmake -S . -B build-deb -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build build-deb -j2 && (cd build-deb && cpack -G DEB)
#
# (or `cmake --build build-deb --target package`) makes
# build-deb/lws-rs_<version>-<release>_<arch>.deb. With the /usr prefix GNUInstallDirs
# picks the multiarch libdir (lib/x86_64-linux-gnu on Debian amd64), so the package puts the
# library, pkg-config files and CMake package where Debian's own libwebsockets packages do.
#
# One package carries what Debian splits in two for lws 4.3 (trixie ships 4.3.5):
#   libwebsockets19t64   the runtime, named after SONAME libwebsockets.so.19
#   libwebsockets-dev    headers, libwebsockets.so, .a, .pc, CMake package
# lws-rs Provides both, and Conflicts with and Replaces both, so `apt install ./lws-rs_*.deb`
# removes them, and programs packaged against them (which depend on
# "libwebsockets19t64 (>= ...)", e.g. mosquitto's ">= 1.6.0") stay installed and run on it.
# Bookworm's libwebsockets17 (4.1, another SONAME) is left alone: both can be installed.

set(LWS_DEB_RUNTIME_PACKAGE libwebsockets19t64)
set(LWS_DEB_DEV_PACKAGE libwebsockets-dev)
set(LWS_DEB_RELEASE 1 CACHE STRING "Debian revision of the lws-rs package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lws-rs)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "lws-rs")
set(CPACK_PACKAGE_CONTACT "lws-rs developers <lws-rs@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "libwebsockets 4.3 C API (libwebsockets.so.19) implemented in Rust")
set(CPACK_PACKAGE_DESCRIPTION
    "lws-rs is a Rust implementation of the libwebsockets 4.3 C API: programs written for
libwebsockets 4.3 compile, link and run on it unchanged, and binaries built against
libwebsockets 4.3 run on its libwebsockets.so.19. TLS is rustls; no OpenSSL.
This package holds the shared and static libraries, the headers, the pkg-config files
and the CMake package, replacing libwebsockets19t64 and libwebsockets-dev.")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
# install(FILES) libraries are not covered by CPACK_STRIP_FILES: strip them ourselves.
set(CPACK_LWS_STRIP "${CMAKE_STRIP}")
set(CPACK_PRE_BUILD_SCRIPTS "${PROJECT_SOURCE_DIR}/cmake/LwsPackageStrip.cmake")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE "${LWS_DEB_RELEASE}")
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from the library's own NEEDED entries (dpkg-shlibdeps), a shlibs file and the
# ldconfig trigger for libwebsockets.so.19.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_PACKAGE_PROVIDES
    "${LWS_DEB_RUNTIME_PACKAGE} (= ${PROJECT_VERSION}), ${LWS_DEB_DEV_PACKAGE} (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_PACKAGE_CONFLICTS "${LWS_DEB_RUNTIME_PACKAGE}, ${LWS_DEB_DEV_PACKAGE}")
set(CPACK_DEBIAN_PACKAGE_REPLACES "${LWS_DEB_RUNTIME_PACKAGE}, ${LWS_DEB_DEV_PACKAGE}")

# Checked when cpack runs (cmake/LwsPackageCheck.cmake): a DEB needs the /usr prefix and the
# multiarch libdir, or its files would land outside the paths the packages it replaces use.
set(CPACK_LWS_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_LWS_INSTALL_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
set(CPACK_LWS_LIBRARY_ARCHITECTURE "${CMAKE_LIBRARY_ARCHITECTURE}")
set(CPACK_LWS_CARGO_PROFILE "${LWS_CARGO_PROFILE_DIR}")
set(CPACK_PROJECT_CONFIG_FILE "${PROJECT_SOURCE_DIR}/cmake/LwsPackageCheck.cmake")

include(CPack)
