module gomap/fidelity

go 1.19
