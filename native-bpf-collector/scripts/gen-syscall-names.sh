#!/usr/bin/env bash
# Regenerates internal/syscallnames/table.go from the x86_64 kernel headers (linux-libc-dev).
set -euo pipefail
cd "$(dirname "$0")/.."
header=/usr/include/x86_64-linux-gnu/asm/unistd_64.h
{
  echo '// Code generated from the x86_64 <asm/unistd_64.h> by scripts/gen-syscall-names.sh; DO NOT EDIT.'
  echo
  echo '// Package syscallnames names x86_64 syscall numbers.'
  echo 'package syscallnames'
  echo
  echo 'var names = map[uint32]string{'
  grep -E '^#define __NR_[a-z0-9_]+ [0-9]+$' "$header" | awk '{sub("__NR_","",$2); printf "\t%s: \"%s\",\n", $3, $2}'
  echo '}'
} > internal/syscallnames/table.go
gofmt -w internal/syscallnames/table.go
