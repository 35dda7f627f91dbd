# CMake functions for building Alliance Auth plugins. The source tree
# includes this file, and the installed AllianceAuthSdk package includes its
# installed copy, so in-tree and out-of-tree plugins build the same way.
#
# Variables read, each with a default:
#   AA_PLUGIN_OUTPUT_DIRECTORY  where plugin libraries are built
#                               (default: <build>/lib/allianceauth/plugins)
#   AA_PLUGIN_INSTALL_DIR       where `cmake --install` puts them
#                               (default: <libdir>/allianceauth/plugins)

# aa_compile_translations(DOMAIN SOURCE_DIR OUTPUT_DIR INSTALL_DIR)
#
# Compiles SOURCE_DIR/<locale>/LC_MESSAGES/DOMAIN.po into .mo catalogs under
# OUTPUT_DIR with the same layout, and installs them to INSTALL_DIR unless
# INSTALL_DIR is "". msgfmt is needed only when there is at least one .po file.
function(aa_compile_translations domain source_dir output_dir install_dir)
  file(GLOB po_files CONFIGURE_DEPENDS "${source_dir}/*/LC_MESSAGES/${domain}.po")
  if(po_files)
    find_program(AA_MSGFMT msgfmt REQUIRED)
  endif()
  set(outputs "")
  foreach(po ${po_files})
    file(RELATIVE_PATH relative "${source_dir}" "${po}")
    get_filename_component(relative_dir "${relative}" DIRECTORY)
    set(mo "${output_dir}/${relative_dir}/${domain}.mo")
    add_custom_command(OUTPUT "${mo}"
      COMMAND ${CMAKE_COMMAND} -E make_directory "${output_dir}/${relative_dir}"
      COMMAND ${AA_MSGFMT} --check -o "${mo}" "${po}"
      DEPENDS "${po}"
      COMMENT "Compiling ${relative}")
    if(NOT install_dir STREQUAL "")
      install(FILES "${mo}" DESTINATION "${install_dir}/${relative_dir}")
    endif()
    list(APPEND outputs "${mo}")
  endforeach()
  add_custom_target(aa_translations_${domain} ALL DEPENDS ${outputs})
endfunction()

# aa_add_plugin(NAME SOURCES src... [LIBRARIES lib...]
#               [OUTPUT_DIRECTORY dir] [NO_INSTALL])
#
# Builds a plugin library NAME.so exactly as the host expects it: a MODULE
# library without the "lib" prefix, hidden visibility, no undefined symbols,
# linked against the SDK. The plugin's templates/ and static/ folders are
# linked beside the library as NAME/templates and NAME/static, and its
# locale/*.po files compiled into NAME/locale, which is where the host looks
# for them, in the build tree and once installed.
#
# OUTPUT_DIRECTORY replaces AA_PLUGIN_OUTPUT_DIRECTORY for this plugin.
# NO_INSTALL leaves the plugin out of `cmake --install`, for test plugins.
function(aa_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "NO_INSTALL" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "aa_add_plugin(${name}): SOURCES is empty")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "aa_add_plugin(${name}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()

  set(output_dir "${ARG_OUTPUT_DIRECTORY}")
  if(NOT output_dir)
    set(output_dir "${AA_PLUGIN_OUTPUT_DIRECTORY}")
  endif()
  if(NOT output_dir)
    set(output_dir "${CMAKE_BINARY_DIR}/lib/allianceauth/plugins")
  endif()
  set(install_dir "${AA_PLUGIN_INSTALL_DIR}")
  if(NOT install_dir)
    if(NOT CMAKE_INSTALL_LIBDIR)
      include(GNUInstallDirs)
    endif()
    set(install_dir "${CMAKE_INSTALL_LIBDIR}/allianceauth/plugins")
  endif()

  set(target aa_plugin_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  # The language and visibility properties repeat the top-level build's,
  # because an out-of-tree project does not set them globally.
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${name}
    PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY "${output_dir}"
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${target} PRIVATE aa::sdk ${ARG_LIBRARIES})
  if(TARGET aa_warnings)
    target_link_libraries(${target} PRIVATE aa_warnings)
  endif()
  target_link_options(${target} PRIVATE -Wl,--no-undefined)

  file(MAKE_DIRECTORY "${output_dir}/${name}")
  set(locale_install_dir "${install_dir}/${name}/locale")
  if(ARG_NO_INSTALL)
    set(locale_install_dir "")
  endif()
  aa_compile_translations(${name} "${CMAKE_CURRENT_SOURCE_DIR}/locale"
    "${output_dir}/${name}/locale" "${locale_install_dir}")
  foreach(resource templates static)
    set(source_dir "${CMAKE_CURRENT_SOURCE_DIR}/${resource}")
    if(IS_DIRECTORY "${source_dir}")
      file(CREATE_LINK "${source_dir}" "${output_dir}/${name}/${resource}" SYMBOLIC)
      if(NOT ARG_NO_INSTALL)
        install(DIRECTORY "${source_dir}/" DESTINATION "${install_dir}/${name}/${resource}")
      endif()
    endif()
  endforeach()
  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION "${install_dir}")
  endif()
endfunction()
