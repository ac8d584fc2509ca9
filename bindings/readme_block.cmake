# Shared by the bindings' readme_example.cmake scripts, which let the build compile a README's example once so that
# its test only runs it (and checks that what was compiled is still the README's block).
#   readme_block(README LANG OUT_VAR): the body of README's first ```LANG block, or a fatal error naming the README.
#   write_if_changed(PATH CONTENT): writes only when the content differs, so an unchanged README leaves the compiler
#   nothing to do.
function(readme_block readme lang out_var)
  file(READ "${readme}" text)
  set(fence "```${lang}\n")
  string(FIND "${text}" "${fence}" start)
  if(start LESS 0)
    message(FATAL_ERROR "${readme} has no ${lang} block")
  endif()
  string(LENGTH "${fence}" fence_length)
  math(EXPR start "${start} + ${fence_length}")
  string(SUBSTRING "${text}" ${start} -1 body)
  string(FIND "${body}" "```" end)
  if(end LESS 0)
    message(FATAL_ERROR "${readme}: the ${lang} block is not closed")
  endif()
  string(SUBSTRING "${body}" 0 ${end} body)
  set(${out_var} "${body}" PARENT_SCOPE)
endfunction()

function(write_if_changed path content)
  if(EXISTS "${path}")
    file(READ "${path}" old)
    if(old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${path}" "${content}")
endfunction()
