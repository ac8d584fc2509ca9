module floe.invalid/floe

go 1.19
