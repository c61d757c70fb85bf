// SPDX-License-Identifier: MIT
/*
 * The -v story of what the object asked for (the spec) and what became of
 * it in the kernel (maps and programs with their fds, each relocation).
 */
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
		narrate("%s: going on without it", o->btf_refused.msg);
	for (size_t i = 0; i < s->map_cnt; i++)
		narrate("map '%s' created: fd %d", esc(s->maps[i].name), o->map_fds[i]);
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
		if (o->has_btf && p->func_info_cnt)
			narrate("  prog '%s': BTF func_info %zu, line_info %zu", esc(p->name),
				p->func_info_cnt, p->line_info_cnt);
		narrate("prog '%s' loaded: fd %d", esc(p->name), o->prog_fds[i]);
	}
}
