# aa_add_plugin(NAME SOURCES src... [LIBRARIES lib...])
#
# Builds a plugin library NAME.so exactly as the host expects it: a MODULE
# library without the "lib" prefix, hidden visibility, no undefined symbols,
# linked against the SDK. The plugin's resource folders (templates/, static/,
# locale/) are linked beside the library as NAME/templates and so on, which
# is where the host looks for them, in the build tree and once installed.
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
  foreach(resource templates static locale)
    set(source_dir "${CMAKE_CURRENT_SOURCE_DIR}/${resource}")
    if(IS_DIRECTORY "${source_dir}")
      file(CREATE_LINK "${source_dir}" "${AA_PLUGIN_OUTPUT_DIRECTORY}/${name}/${resource}" SYMBOLIC)
      install(DIRECTORY "${source_dir}/"
        DESTINATION "${CMAKE_INSTALL_LIBDIR}/allianceauth/plugins/${name}/${resource}")
    endif()
  endforeach()
  install(TARGETS ${target} LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}/allianceauth/plugins")
endfunction()
