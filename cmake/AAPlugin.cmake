# aa_compile_translations(DOMAIN SOURCE_DIR OUTPUT_DIR INSTALL_DIR)
#
# Compiles SOURCE_DIR/<locale>/LC_MESSAGES/DOMAIN.po into .mo catalogs under
# OUTPUT_DIR with the same layout, and installs them to INSTALL_DIR.
function(aa_compile_translations domain source_dir output_dir install_dir)
  find_program(AA_MSGFMT msgfmt REQUIRED)
  file(GLOB po_files "${source_dir}/*/LC_MESSAGES/${domain}.po")
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
    install(FILES "${mo}" DESTINATION "${install_dir}/${relative_dir}")
    list(APPEND outputs "${mo}")
  endforeach()
  add_custom_target(aa_translations_${domain} ALL DEPENDS ${outputs})
endfunction()

# aa_add_plugin(NAME SOURCES src... [LIBRARIES lib...])
#
# Builds a plugin library NAME.so exactly as the host expects it: a MODULE
# library without the "lib" prefix, hidden visibility, no undefined symbols,
# linked against the SDK. The plugin's templates/ and static/ folders are
# linked beside the library as NAME/templates and NAME/static, and its
# locale/*.po files compiled into NAME/locale, which is where the host looks
# for them, in the build tree and once installed.
function(aa_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;LIBRARIES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "aa_add_plugin(${name}): SOURCES is empty")
  endif()

  set(target aa_plugin_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${name}
    PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY "${AA_PLUGIN_OUTPUT_DIRECTORY}")
  target_link_libraries(${target} PRIVATE aa::sdk ${ARG_LIBRARIES})
  if(TARGET aa_warnings)
    target_link_libraries(${target} PRIVATE aa_warnings)
  endif()
  target_link_options(${target} PRIVATE -Wl,--no-undefined)

  file(MAKE_DIRECTORY "${AA_PLUGIN_OUTPUT_DIRECTORY}/${name}")
  aa_compile_translations(${name} "${CMAKE_CURRENT_SOURCE_DIR}/locale"
    "${AA_PLUGIN_OUTPUT_DIRECTORY}/${name}/locale" "${CMAKE_INSTALL_LIBDIR}/allianceauth/plugins/${name}/locale")
  foreach(resource templates static)
    set(source_dir "${CMAKE_CURRENT_SOURCE_DIR}/${resource}")
    if(IS_DIRECTORY "${source_dir}")
      file(CREATE_LINK "${source_dir}" "${AA_PLUGIN_OUTPUT_DIRECTORY}/${name}/${resource}" SYMBOLIC)
      install(DIRECTORY "${source_dir}/"
        DESTINATION "${CMAKE_INSTALL_LIBDIR}/allianceauth/plugins/${name}/${resource}")
    endif()
  endforeach()
  install(TARGETS ${target} LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}/allianceauth/plugins")
endfunction()
