# The kernel calls in a -vv log (mini-trace's stderr) or an strace log, one
# normalised line each, so the two can be compared: tests/e2e_vv.sh.
#
#   python3 tests/vv_calls.py vv FILE       mini-trace's -vv text lines
#   python3 tests/vv_calls.py json FILE     its --json -vv objects
#   python3 tests/vv_calls.py strace FILE   strace -e trace=bpf,perf_event_open,ioctl,mmap
#
# Kept: every bpf(2) and perf_event_open(2), PERF_EVENT_IOC_* ioctls, and
# MAP_SHARED mmaps (the rings: the allocator's and a dynamic loader's
# private mappings are not what -vv shows).
import json
import re
import sys

CALL = re.compile(r"^(bpf|perf_event_open|ioctl|mmap)\((.*)\) += (-1 E[A-Z0-9]+|0x[0-9a-f]+|-?\d+)")


def norm(name, args, ret):
    if name == "bpf":
        return "bpf %s = %s" % (args.split(",")[0], ret)
    if name == "perf_event_open":
        ptype = re.search(r"type=(\w+)", args).group(1)
        pos = args[args.rindex("}") + 1:].split(",")
        return "perf_event_open %s cpu %s = %s" % (ptype, pos[2].strip(), ret)
    if name == "ioctl":
        fd, req, arg = [a.strip() for a in args.split(",")[:3]]
        if not req.startswith("PERF_EVENT_IOC_"):
            return None
        return "ioctl %s %s %s = %s" % (fd, req, arg, ret)
    a = [x.strip() for x in args.split(",")]
    if "MAP_SHARED" not in a[-3]:
        return None
    return "mmap %d %s %s %d = %s" % (int(a[1], 0), a[-3], a[-2], int(a[-1], 0), ret)


def main():
    mode, path = sys.argv[1], sys.argv[2]
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if mode == "json":
            if not line.startswith("{"):
                continue
            e = json.loads(line)
            if e.get("syscall") not in ("bpf", "perf_event_open", "ioctl", "mmap"):
                continue
            ret = "-1 " + e["errno"] if "errno" in e else str(e["ret"])
            s = e["syscall"]
            if s == "bpf":
                out = "bpf %s = %s" % (e["cmd"], ret)
            elif s == "perf_event_open":
                out = "perf_event_open %s cpu %d = %s" % (e["attr"]["type"], e["cpu"], ret)
            elif s == "ioctl":
                out = "ioctl %d %s %d = %s" % (e["fd"], e["request"], e["arg"], ret)
            else:
                out = "mmap %d %s %d %d = %s" % (e["length"], e["flags"], e["fd"], e["offset"], ret)
            print(out)
            continue
        if mode == "vv":
            if not line.startswith("mini-trace: "):
                continue
            line = line[len("mini-trace: "):]
        m = CALL.match(line)
        if not m:
            continue
        out = norm(*m.groups())
        if out:
            print(out)


main()
