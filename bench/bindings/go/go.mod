module floe.invalid/bindingbench

go 1.19

require floe.invalid/floe v0.0.0

replace floe.invalid/floe => ../../../bindings/go
