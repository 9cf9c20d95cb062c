# The capture's version comes from package.json, where the release version is written once (issue 14): the
# PAM module, the LSA filter and the pipe addon say it in their HELLO (capture_version), and the Debian
# package and the MSI carry it. Included before project(), so project(... VERSION ${PWB_VERSION}) can use it.
# Sets PWB_VERSION (X.Y.Z) and PWB_CAPTURE_VERSION (major<<16 | minor<<8 | patch, as the HELLO carries it).
set(_pwb_package_json "${CMAKE_CURRENT_LIST_DIR}/../package.json")
file(READ "${_pwb_package_json}" _pwb_json)
string(JSON PWB_VERSION ERROR_VARIABLE _pwb_error GET "${_pwb_json}" version)
if(_pwb_error)
  message(FATAL_ERROR "${_pwb_package_json}: no \"version\" to build the capture's version from (${_pwb_error})")
endif()
if(NOT PWB_VERSION MATCHES "^([0-9]+)\\.([0-9]+)\\.([0-9]+)$")
  message(FATAL_ERROR "${_pwb_package_json}: version \"${PWB_VERSION}\" is not major.minor.patch, which the HELLO's capture_version needs")
endif()
if(CMAKE_MATCH_1 GREATER 255 OR CMAKE_MATCH_2 GREATER 255 OR CMAKE_MATCH_3 GREATER 255)
  message(FATAL_ERROR "${_pwb_package_json}: version ${PWB_VERSION} does not fit capture_version (each part at most 255)")
endif()
math(EXPR PWB_CAPTURE_VERSION "(${CMAKE_MATCH_1} << 16) | (${CMAKE_MATCH_2} << 8) | ${CMAKE_MATCH_3}" OUTPUT_FORMAT HEXADECIMAL)
# A new version in package.json reconfigures the build, so the module never keeps the old one.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_pwb_package_json}")
