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

include("${CMAKE_CURRENT_LIST_DIR}/../readme_block.cmake")
readme_block("${README}" go body)

file(MAKE_DIRECTORY "${OUT}")
write_if_changed("${OUT}/main.go" "${body}")
write_if_changed("${OUT}/go.mod" "module example\n\ngo 1.19\n\nrequire floe.invalid/floe v0.0.0\n\nreplace floe.invalid/floe => ${MODULE}\n")
