# Writes the first ```java block of README.md into OUT/Example.java, as ExamplesTest.readmeExampleRuns does before it
# compiles the block, so the build can compile it once with javac (against floe.jar alone) and the test only runs it
# (-Dfloe.readme.example=OUT; the test checks that OUT/Example.java is still the README's block).
#   cmake -DREADME=bindings/jvm/README.md -DOUT=<folder> -P readme_example.cmake
# The file is rewritten only when its content changes, so an unchanged README leaves javac nothing to do.
foreach(var README OUT)
  if(NOT ${var})
    message(FATAL_ERROR "readme_example.cmake: -D${var}= is required")
  endif()
endforeach()

include("${CMAKE_CURRENT_LIST_DIR}/../readme_block.cmake")
readme_block("${README}" java body)

file(MAKE_DIRECTORY "${OUT}")
write_if_changed("${OUT}/Example.java" "${body}")
