// SPDX-License-Identifier: MIT
/*
 * The cases a BTF -> C generator must get right (tests/e2e_btfgen.sh):
 * compiled with clang -g -target bpf, its .BTF is given to
 * mini-trace-btfgen, whose output must compile again and describe the
 * same types.
 */

/* Used by value before it is defined in id order; pointers both ways. */
struct inner;
struct peer_b;

struct peer_a {
	struct peer_b *b;
	int x;
};

struct peer_b {
	struct peer_a *a;
	struct peer_a by_value;
};

struct inner {
	long l;
	char c;
};

/* A list through its own typedef: the typedef must come first. */
typedef struct node node_t;
struct node {
	node_t *next;
	const node_t *prev;
	int val;
};

/* Anonymous structs and unions, inline at every depth. */
struct anon {
	int kind;
	union {
		struct {
			int a, b;
		};
		struct {
			long wide;
		} named;
		unsigned char raw[8];
	};
	struct {
		struct inner in;
		union {
			int i;
			float f;
		} u;
	} nested;
};

/* Bitfields, and the padding around them. */
struct bits {
	unsigned int a : 3;
	unsigned int b : 5;
	int c : 7;
	unsigned long long d : 40;
	char e;
	unsigned int : 0;
	short f : 4;
	long g;
	char tail;
};

/* Packed, aligned, and gaps the compiler would not leave by itself. */
struct packed {
	char c;
	int i;
	long l;
} __attribute__((packed));

struct aligned {
	char c;
	int i __attribute__((aligned(16)));
	char end;
} __attribute__((aligned(32)));

/* Arrays: of arrays, of pointers, pointers to arrays, flexible. */
struct arrays {
	int grid[3][4];
	char *names[5];
	int (*row)[4];
	const char *const *argv;
	unsigned int flex_len;
	char flex[];
};

/* Functions: pointers, a pointer result, variadic, no arguments. */
typedef int handler_fn(struct node *n, void *ctx);
typedef void (*cb_t)(void);

struct ops {
	handler_fn *handle;
	cb_t done;
	int (*printf_like)(const char *fmt, ...);
	struct node *(*lookup)(int key);
	void (*(*getter)(int))(long);
	int (*table[2])(struct peer_a *);
};

/* Enums: signed values, anonymous ones, one byte wide, an enum member. */
enum color { RED, GREEN = 5, BLUE = -1 };
enum { ANON_ONE = 1, ANON_TWO = 2 };
enum small { SMALL_A, SMALL_B } __attribute__((packed));
enum big { BIG_A = 0, BIG_B = 0x7fffffff };

struct enums {
	enum color c;
	enum small s;
	enum { INLINE_X = 10, INLINE_Y } inline_e;
	enum big b;
};

/* Qualifiers: on the pointer, on what it points at, on an array. */
struct quals {
	const int ci;
	volatile long vl;
	const volatile unsigned char cvu;
	int *const cp;
	const char *pc;
	char *restrict rp;
	const int carr[2];
	volatile int *const volatile *vp;
};

/* Typedefs: of an anonymous struct, of a pointer, a chain. */
typedef struct {
	int x, y;
} point_t;
typedef point_t *point_ptr_t;
typedef point_ptr_t more_t;
typedef unsigned long long u64_t;
typedef u64_t counter_t[4];

struct typedefs {
	point_t p;
	point_ptr_t pp;
	more_t m;
	counter_t counters;
};

/* An empty struct, and a union as a root. */
struct empty {
};
union either {
	struct peer_a a;
	struct inner in;
	long raw;
};

/* Everything above, in the BTF: a variable of each. */
struct peer_b v_peer_b;
struct node v_node;
struct anon v_anon;
struct bits v_bits;
struct packed v_packed;
struct aligned v_aligned;
struct arrays *v_arrays;
struct ops v_ops;
struct enums v_enums;
int v_anon_enum = ANON_ONE;
struct quals *v_quals;
struct typedefs v_typedefs;
struct empty v_empty;
union either v_either;

/*
 * Two types with one name: a struct clash at file scope and one in a
 * function's block.  BTF keeps both; C needs clash and clash___2.
 */
struct clash {
	int outer;
};
struct clash v_clash;

int second_clash(void)
{
	struct clash {
		long inner;
	};

	return __builtin_btf_type_id(*(struct clash *)0, 0);
}
