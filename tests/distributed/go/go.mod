module floe.invalid/distributedtest

go 1.19

require floe.invalid/floe v0.0.0

replace floe.invalid/floe => ../../../bindings/go
