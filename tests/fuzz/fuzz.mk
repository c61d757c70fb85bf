# Fuzzing the parse step (elf.c, link.c, btf.c, btf_ext.c, elf_target.c, swap.c, core.c,
# tp_format.c) with libFuzzer: included by the Makefile, whose BUILD, CLANG,
# ALL_CFLAGS, HDRS, BPF_OBJS and FIXTURES it uses.  clang's fuzzer runtime is Debian's libclang-rt-14-dev.
#
#   make fuzz                   fuzz for FUZZ_SECONDS (60), seeded with the
#                               built objects and tests/fuzz/regressions/
#   make fuzz FUZZ_SECONDS=600 FUZZ_FLAGS=-fork=2
#   make fuzz-regress           run each saved input in tests/fuzz/regressions/
#                               once: a crash there fails
#
# A crash, leak, UBSan report or broken spec invariant leaves its input in
# $(BUILD)/fuzz-artifacts/crash-*; once the bug is fixed, copy the input to
# tests/fuzz/regressions/<what-it-was> so fuzz-regress keeps it fixed.
#
# Include it after those variables are set: prerequisites expand as they are
# read.  It leaves the default goal as it found it.

fuzz_default_goal := $(.DEFAULT_GOAL)

FUZZ_SECONDS   ?= 60
FUZZ_FLAGS     ?=
FUZZ_CORPUS    := $(BUILD)/fuzz-corpus
FUZZ_ARTIFACTS := $(BUILD)/fuzz-artifacts
FUZZ_SRCS      := tests/fuzz/fuzz_parse.c elf.c parse/link.c parse/sections.c parse/btf.c parse/btf_ext.c \
		  parse/elf_target.c parse/swap.c parse/core.c parse/ep_labels.c lib/fmt.c \
		  load/tp_format.c lib/file.c
FUZZ_CFLAGS     = $(ALL_CFLAGS) -g -O1 -fno-omit-frame-pointer \
		  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		  -DCORE_MAX_STEPS=8192
FUZZ_REGRESSIONS := $(filter-out %.md,$(wildcard tests/fuzz/regressions/*))
# Real tracefs format files, for tp_format.c; the core objects' .BTF, as kernel types.
FUZZ_FORMATS   := $(filter-out %.md,$(wildcard tests/fuzz/formats/*))
LLVM_OBJCOPY   ?= llvm-objcopy

.PHONY: fuzz fuzz-regress

$(BUILD)/fuzz_parse: $(FUZZ_SRCS) $(HDRS) | $(BUILD)
	$(call msg,CC-FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(FUZZ_SRCS) -o $@

# The uprobe target sample seeds elf_target.c's half of the target.
fuzz: $(BUILD)/fuzz_parse $(BPF_OBJS) $(FIXTURES) $(FOREIGN_OBJS) $(BUILD)/samples/uprobe_target
	$(Q)mkdir -p $(FUZZ_CORPUS) $(FUZZ_ARTIFACTS)
	$(Q)cp -f $(BPF_OBJS) $(FIXTURES) $(BUILD)/samples/uprobe_target $(FUZZ_REGRESSIONS) $(FUZZ_CORPUS)/
	$(Q)for o in $(FOREIGN_OBJS); do cp -f $$o $(FUZZ_CORPUS)/$(FOREIGN_TARGET)-$$(basename $$o); done
	$(Q)for o in $(BUILD)/core/*.bpf.o; do [ ! -e "$$o" ] || cp -f "$$o" $(FUZZ_CORPUS)/; done
	$(Q)for o in $(BUILD)/core/*.bpf.o; do [ ! -e "$$o" ] || $(LLVM_OBJCOPY) \
		--dump-section .BTF=$(FUZZ_CORPUS)/BTF-$$(basename $$o) "$$o" /dev/null; done
	$(Q)cp -f $(FUZZ_FORMATS) $(FUZZ_CORPUS)/
	$(BUILD)/fuzz_parse -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-timeout=10 -dict=tests/fuzz/parse.dict \
		-artifact_prefix=$(FUZZ_ARTIFACTS)/ $(FUZZ_FLAGS) $(FUZZ_CORPUS)

fuzz-regress: $(BUILD)/fuzz_parse
ifneq ($(FUZZ_REGRESSIONS),)
	$(call msg,FUZZ,$(words $(FUZZ_REGRESSIONS)) regression inputs)
	$(Q)$(BUILD)/fuzz_parse $(FUZZ_REGRESSIONS)
else
	$(call msg,FUZZ,no regression inputs)
endif


# make fuzz-btfgen: libFuzzer on mini-trace-btfgen's reading of BTF
# (tests/fuzz/fuzz_btfgen.c), seeded with the .BTF of the fixtures and of
# tests/btfgen/types.c, and tests/btfgen/enum64.py's; the inputs of tests/fuzz/regressions-btfgen/ run
# once first.
LLVM_OBJCOPY       ?= llvm-objcopy
FUZZ_BTFGEN_SRCS   := tests/fuzz/fuzz_btfgen.c tools/btf_c.c parse/btf.c lib/fmt.c
FUZZ_BTFGEN_CORPUS := $(BUILD)/fuzz-btfgen-corpus
.PHONY: fuzz-btfgen
$(BUILD)/fuzz_btfgen: $(FUZZ_BTFGEN_SRCS) $(BTFGEN_HDRS) | $(BUILD)
	$(call msg,CC-FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -Itools $(FUZZ_BTFGEN_SRCS) -o $@
fuzz-btfgen: $(BUILD)/fuzz_btfgen $(FIXTURES)
	$(Q)mkdir -p $(FUZZ_BTFGEN_CORPUS) $(FUZZ_ARTIFACTS)
	$(Q)for o in $(FIXTURES); do \
		$(LLVM_OBJCOPY) --dump-section .BTF=$(FUZZ_BTFGEN_CORPUS)/$$(basename $$o .bpf.o).btf \
			$$o $(BUILD)/fuzz-btfgen-discard.o 2>/dev/null || true; done
	$(Q)$(CLANG) -O2 -g -target bpf -c tests/btfgen/types.c -o $(BUILD)/fuzz-btfgen-types.o
	$(Q)$(LLVM_OBJCOPY) --dump-section .BTF=$(FUZZ_BTFGEN_CORPUS)/types.btf \
		$(BUILD)/fuzz-btfgen-types.o $(BUILD)/fuzz-btfgen-discard.o
	$(Q)python3 tests/btfgen/enum64.py $(FUZZ_BTFGEN_CORPUS)/enum64.btf
	$(BUILD)/fuzz_btfgen $(wildcard tests/fuzz/regressions-btfgen/*)
	$(BUILD)/fuzz_btfgen -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -timeout=10 \
		-artifact_prefix=$(FUZZ_ARTIFACTS)/ $(FUZZ_FLAGS) $(FUZZ_BTFGEN_CORPUS)

.DEFAULT_GOAL := $(fuzz_default_goal)
