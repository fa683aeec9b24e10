module paperboy

go 1.26.8
