# Writes the first ```go block of README.md into OUT as a program of its own (main.go, and a go.mod that replaces
# floe.invalid/floe by this folder), as TestReadmeExample does before `go run`, so the build can `go build` it once
# and the test only runs it (FLOE_GO_README_EXAMPLE=OUT; the test checks that OUT/main.go is still the README's block).
#   cmake -DREADME=bindings/go/README.md -DMODULE=<absolute bindings/go> -DOUT=<folder> -P readme_example.cmake
# Files are rewritten only when their content changes, so an unchanged README leaves `go build` nothing to do.
foreach(var README MODULE OUT)
  if(NOT ${var})
    message(FATAL_ERROR "readme_example.cmake: -D${var}= is required")
  endif()
endforeach()

file(READ "${README}" text)
string(FIND "${text}" "```go\n" start)
if(start LESS 0)
  message(FATAL_ERROR "${README} has no go block")
endif()
math(EXPR start "${start} + 6")
string(SUBSTRING "${text}" ${start} -1 body)
string(FIND "${body}" "```" end)
if(end LESS 0)
  message(FATAL_ERROR "${README}: the go block is not closed")
endif()
string(SUBSTRING "${body}" 0 ${end} body)

function(write_if_changed path content)
  if(EXISTS "${path}")
    file(READ "${path}" old)
    if(old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${path}" "${content}")
endfunction()

file(MAKE_DIRECTORY "${OUT}")
write_if_changed("${OUT}/main.go" "${body}")
write_if_changed("${OUT}/go.mod" "module example\n\ngo 1.19\n\nrequire floe.invalid/floe v0.0.0\n\nreplace floe.invalid/floe => ${MODULE}\n")
