// SPDX-License-Identifier: MIT
/*
 * The -v story of what the object asked for (the spec) and what became of
 * it in the kernel (maps and programs with their fds, each relocation).
 */
#include <string.h>

#include "log.h"
#include "narrate.h"

static const char *map_type_name(__u32 type)
{
	switch (type) {
	case BPF_MAP_TYPE_HASH: return "hash";
	case BPF_MAP_TYPE_ARRAY: return "array";
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY: return "perf_event_array";
	case BPF_MAP_TYPE_PERCPU_HASH: return "percpu_hash";
	case BPF_MAP_TYPE_PERCPU_ARRAY: return "percpu_array";
	case BPF_MAP_TYPE_LRU_HASH: return "lru_hash";
	case BPF_MAP_TYPE_RINGBUF: return "ringbuf";
	default: return "other";
	}
}

void narrate_spec(const struct spec *s)
{
	narrate("object: license '%s', %zu programs, %zu maps", esc(s->license), s->prog_cnt,
		s->map_cnt);
	for (size_t i = 0; i < s->map_cnt; i++) {
		const struct spec_map *m = &s->maps[i];

		narrate("  map '%s': %s, key %u, value %u, max_entries %u%s", esc(m->name),
			map_type_name(m->type), m->key_size, m->value_size, m->max_entries,
			m->kind == SPEC_MAP_DATA ? (m->readonly ? ", read-only data" : ", data")
						 : "");
	}
	for (size_t i = 0; i < s->prog_cnt; i++) {
		const struct spec_prog *p = &s->progs[i];

		narrate("  prog '%s': section '%s', %zu insns (%zu from subprograms), %zu relocations",
			esc(p->name), esc(p->sec_name), p->insn_cnt, p->insn_cnt - p->main_cnt,
			p->reloc_cnt);
	}
}

void narrate_load(const struct object *o)
{
	const struct spec *s = o->spec;

	if (o->has_btf)
		narrate("btf: the object's BTF loaded: fd %d", o->btf_fd);
	else if (s->btf)
		narrate("%s: going on without it", esc(o->btf_refused.msg));
	for (size_t i = 0; i < s->map_cnt; i++) {
		const struct spec_map *m = &s->maps[i];

		if (o->map_btf[i] > 0)
			narrate("map '%s' created: fd %d, BTF key type %u, value type %u",
				esc(m->name), o->map_fds[i], m->btf_key_type_id,
				m->btf_value_type_id);
		else if (o->map_btf[i] < 0)
			narrate("map '%s' created: fd %d; the kernel refused its BTF key and value "
				"types (%s): created without them",
				esc(m->name), o->map_fds[i], strerror(-o->map_btf[i]));
		else
			narrate("map '%s' created: fd %d", esc(m->name), o->map_fds[i]);
	}
	for (size_t i = 0; i < s->prog_cnt; i++) {
		const struct spec_prog *p = &s->progs[i];

		if (p->skip) {
			narrate("prog '%s': left out, not loaded", esc(p->name));
			continue;
		}
		for (size_t r = 0; r < p->reloc_cnt; r++) {
			const struct spec_reloc *rel = &p->relocs[r];

			if (rel->kind == SPEC_RELOC_MAP_FD)
				narrate("  prog '%s': insn %u: map '%s' (fd %d)", esc(p->name),
					rel->insn, esc(s->maps[rel->map].name),
					o->map_fds[rel->map]);
			else
				narrate("  prog '%s': insn %u: '%s' + %u (fd %d)", esc(p->name),
					rel->insn, esc(s->maps[rel->map].name), rel->off,
					o->map_fds[rel->map]);
		}
		if (o->prog_btf[i])
			narrate("  prog '%s': BTF func_info %zu, line_info %zu%s", esc(p->name),
				p->func_info_cnt, p->line_info_cnt,
				o->prog_btf[i] == OBJECT_PROG_BTF_STAND_IN
					? ", and one of each for the bpf_strncmp stand-in"
					: "");
		narrate("prog '%s' loaded: fd %d", esc(p->name), o->prog_fds[i]);
	}
}
