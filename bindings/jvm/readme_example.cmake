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

file(READ "${README}" text)
string(FIND "${text}" "```java\n" start)
if(start LESS 0)
  message(FATAL_ERROR "${README} has no java block")
endif()
math(EXPR start "${start} + 8")
string(SUBSTRING "${text}" ${start} -1 body)
string(FIND "${body}" "```" end)
if(end LESS 0)
  message(FATAL_ERROR "${README}: the java block is not closed")
endif()
string(SUBSTRING "${body}" 0 ${end} body)

file(MAKE_DIRECTORY "${OUT}")
if(EXISTS "${OUT}/Example.java")
  file(READ "${OUT}/Example.java" old)
  if(old STREQUAL body)
    return()
  endif()
endif()
file(WRITE "${OUT}/Example.java" "${body}")
