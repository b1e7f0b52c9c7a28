module github.com/safetyrisk/safetyrisk

go 1.26.8
