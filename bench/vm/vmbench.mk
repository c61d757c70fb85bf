# bench/vm/vmbench.mk: the "attach kinds" benchmark in a qemu guest, for
# the kinds the host's kernel cannot attach (kprobe, fentry) beside a
# uprobe.  Included by bench/bench.mk (which defines BENCH and the libbpf
# flags); uses tests/vm/vm.mk's VM_DIR and compilers, and its kernels.
#
#   make vmbench          boot each kernel (bench/vm/run.sh: the matrix's
#                         newest and oldest x86_64 ones) and time mini-trace
#                         and libbpf-attach on attach3.bpf.o there, in
#                         BUILD/bench/vm/; `make bench` runs it first (not
#                         with BENCH_QUICK, nor with a BENCH_ONLY that does
#                         not name "vm") and bench/run.py writes its section.
#                         Never part of make test or make vmtest: timings
#                         are not asserted.
#   make vmbench-image    only the guest's root tree, BUILD/vm/bench/root
#
#   VMBENCH_KERNELS="sid-cloud-amd64"   other kernels (SUITE-FLAVOUR, amd64)
#   VMBENCH_ROUNDS=30                   rounds in each guest

VMBENCH_ROOT    := $(VM_DIR)/bench/root
VMBENCH_KERNELS ?=
VMBENCH_ROUNDS  ?= 30
VMBENCH_FILES   := $(addprefix $(VMBENCH_ROOT)/,init mini-trace bench/stamp \
		   bench/libbpf-attach bench/attach3.bpf.o)

# kprobe, uprobe and fentry: built as attach.bpf.o is, with mini-trace's
# headers and tests/fixtures/regs.h's COMM_IS.  No libbpf needed: make
# vmtest loads it too (tests/vm/init.c), so that it cannot rot.
$(BENCH)/attach3.bpf.o: bench/libbpf/attach3.bpf.c tests/fixtures/regs.h $(HDRS)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(BENCH)
	$(Q)$(CLANG) $(BPF_CFLAGS) -Itests/fixtures -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

# The libbpf harness, static (glibc, libbpf.a, libelf.a, libz.a): the guest
# has no shared libraries.
$(BENCH)/libbpf-attach-static: bench/libbpf/attach.c | $(BENCH)/.deps
	$(call msg,CC,$@)
	$(Q)$(CC) $(BENCH_LIBBPF_CFLAGS) -static $< $(BENCH_STATIC_LIBS) -o $@
	$(Q)strip $@

$(VMBENCH_ROOT)/init: bench/vm/init.c tests/vm/guest.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(VM_CC_x86_64) $(VM_CFLAGS) -std=gnu11 -Wmissing-prototypes $< -o $@

# The very ./mini-trace that ships, as make vmtest's x86_64 guest runs it.
$(VMBENCH_ROOT)/mini-trace: mini-trace
	$(call msg,CP,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $< $@

# Static, and not stripped: the uprobe finds main in its .symtab.
$(VMBENCH_ROOT)/bench/stamp: bench/workload/stamp.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(VM_CC_x86_64) -static -O2 -Wall -Wextra -Werror $< -o $@

$(VMBENCH_ROOT)/bench/libbpf-attach: $(BENCH)/libbpf-attach-static
	$(call msg,CP,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $< $@

$(VMBENCH_ROOT)/bench/attach3.bpf.o: $(BENCH)/attach3.bpf.o
	$(call msg,CP,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $< $@

.PHONY: vmbench vmbench-image
vmbench-image: $(VMBENCH_FILES)

vmbench: vmbench-image
	$(Q)rm -f $(BENCH)/vm/*.txt
	$(Q)BUILD=$(BUILD) VMBENCH_ROUNDS=$(VMBENCH_ROUNDS) bash bench/vm/run.sh $(VMBENCH_KERNELS)
