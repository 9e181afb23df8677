/*
 * The op table: every operation a program can hold, one row each. This is
 * the only list of ops; everything else is derived from it:
 *
 *   program.h   enum sf_opcode (SF_OP_<opcode>, in row order = byte value)
 *   program.c   sf_ops[]: name and argument kinds (the format's view)
 *   exec.c      sf_exec_table[]: exec function, group, "allocates"
 *   ops.h       a prototype for every exec function
 *
 * so adding an op is this row plus its exec function in the op file of
 * its group. A row is
 *
 *   SF_OP(opcode, "name", group, allocates, exec, argument kinds...)
 *
 * - group: which targets run it (enum sf_group in program.h; profiles
 *   select groups, never opcode ranges). MISUSE ops run as "write" with
 *   the same first argument byte in every target but fuzz_misuse.
 * - allocates: the op may add objects to the model, so it is skipped
 *   when the model's object table is nearly full.
 * - argument kinds: up to SF_MAX_ARGS of SF_ARG_* without the prefix.
 *
 * The format layer expands only the name and argument columns, so it
 * never refers to executor code: data runs program -> model -> exec.
 * Appending rows keeps every canonical input's meaning; reordering or
 * changing a row is a new format version (FORMAT.md's op list is checked
 * against this table by tests/test_harness_program.c).
 *
 * No include guard: each includer defines SF_OP, includes this file, and
 * undefines SF_OP.
 */
/*     opcode              name                     group    alloc exec                    arguments */
SF_OP(KMALLOC,             "kmalloc",               KMALLOC, 1, sf_exec_kmalloc,           SIZE, GFP)
SF_OP(KZALLOC,             "kzalloc",               KMALLOC, 1, sf_exec_kzalloc,           SIZE, GFP)
SF_OP(KCALLOC,             "kcalloc",               KMALLOC, 1, sf_exec_kcalloc,           SIZE, SIZE, GFP)
SF_OP(KMALLOC_ARRAY,       "kmalloc_array",         KMALLOC, 1, sf_exec_kmalloc_array,     SIZE, SIZE, GFP)
SF_OP(KREALLOC,            "krealloc",              KMALLOC, 1, sf_exec_krealloc,          SLOT, SIZE, GFP)
SF_OP(KREALLOC_ARRAY,      "krealloc_array",        KMALLOC, 1, sf_exec_krealloc_array,    SLOT, SIZE, SIZE, GFP)
SF_OP(KFREE,               "kfree",                 KMALLOC, 0, sf_exec_kfree,             SLOT)
SF_OP(KFREE_SENSITIVE,     "kfree_sensitive",       KMALLOC, 0, sf_exec_kfree_sensitive,   SLOT)
SF_OP(KSIZE,               "ksize",                 KMALLOC, 0, sf_exec_ksize,             SLOT)
SF_OP(KMEMDUP,             "kmemdup",               KMALLOC, 1, sf_exec_kmemdup,           SLOT, GFP)
SF_OP(CACHE_CREATE,        "kmem_cache_create",     SLAB,    0, sf_exec_cache_create,      SIZE, ALIGN, CFLAGS)
SF_OP(CACHE_ALLOC,         "kmem_cache_alloc",      SLAB,    1, sf_exec_cache_alloc,       CACHE, GFP)
SF_OP(CACHE_ZALLOC,        "kmem_cache_zalloc",     SLAB,    1, sf_exec_cache_zalloc,      CACHE, GFP)
SF_OP(CACHE_FREE,          "kmem_cache_free",       SLAB,    0, sf_exec_cache_free,        SLOT)
SF_OP(CACHE_ALLOC_BULK,    "kmem_cache_alloc_bulk", SLAB,    1, sf_exec_cache_alloc_bulk,  CACHE, COUNT, GFP)
SF_OP(CACHE_FREE_BULK,     "kmem_cache_free_bulk",  SLAB,    0, sf_exec_cache_free_bulk,   CACHE, COUNT)
SF_OP(CACHE_SHRINK,        "kmem_cache_shrink",     SLAB,    0, sf_exec_cache_shrink,      CACHE)
SF_OP(CACHE_DESTROY,       "kmem_cache_destroy",    SLAB,    0, sf_exec_cache_destroy,     CACHE)
SF_OP(ALLOC_PAGES,         "alloc_pages",           PAGES,   1, sf_exec_alloc_pages,       ORDER, GFP)
SF_OP(__FREE_PAGES,        "__free_pages",          PAGES,   0, sf_exec___free_pages,      SLOT)
SF_OP(FREE_PAGES,          "free_pages",            PAGES,   0, sf_exec_free_pages,        SLOT)
SF_OP(PAGE_REF,            "page_ref",              PAGES,   0, sf_exec_page_ref,          SLOT)
SF_OP(POOL_ALLOC,          "pool_alloc",            PAGES,   1, sf_exec_pool_alloc,        ORDER, GFP)
SF_OP(VMALLOC,             "vmalloc",               VMALLOC, 1, sf_exec_vmalloc,           SIZE)
SF_OP(VZALLOC,             "vzalloc",               VMALLOC, 1, sf_exec_vzalloc,           SIZE)
SF_OP(VFREE,               "vfree",                 VMALLOC, 0, sf_exec_vfree,             SLOT)
SF_OP(KVMALLOC,            "kvmalloc",              VMALLOC, 1, sf_exec_kvmalloc,          SIZE, GFP)
SF_OP(KVZALLOC,            "kvzalloc",              VMALLOC, 1, sf_exec_kvzalloc,          SIZE, GFP)
SF_OP(KVFREE,              "kvfree",                VMALLOC, 0, sf_exec_kvfree,            SLOT)
SF_OP(WRITE,               "write",                 COMMON,  0, sf_exec_write,             SLOT)
SF_OP(SET_CPU,             "set_cpu",               COMMON,  0, sf_exec_set_cpu,           CPU)
SF_OP(RECLAIM,             "reclaim",               COMMON,  0, sf_exec_reclaim,           GFP)
SF_OP(VALIDATE,            "validate",              COMMON,  0, sf_exec_validate)
SF_OP(DOUBLE_FREE,         "double_free",           MISUSE,  1, sf_exec_double_free,       SLOT, BYTE)
SF_OP(INVALID_FREE,        "invalid_free",          MISUSE,  1, sf_exec_invalid_free,      SLOT, BYTE)
SF_OP(CACHE_MISMATCH,      "cache_mismatch",        MISUSE,  1, sf_exec_cache_mismatch,    SLOT, CACHE)
SF_OP(OOB_WRITE,           "oob_write",             MISUSE,  1, sf_exec_oob_write,         SLOT, BYTE)
SF_OP(OOB_WRITE_LEFT,      "oob_write_left",        MISUSE,  1, sf_exec_oob_write_left,    SLOT, BYTE)
SF_OP(UAF_WRITE,           "uaf_write",             MISUSE,  1, sf_exec_uaf_write,         SLOT, BYTE)
SF_OP(UAF_WRITE_FREEPTR,   "uaf_write_freeptr",     MISUSE,  1, sf_exec_uaf_write_freeptr, SLOT, BYTE)
SF_OP(WILD_FREE,           "wild_free",             MISUSE,  1, sf_exec_wild_free,         BYTE, BYTE)
SF_OP(DESTROY_LIVE,        "destroy_live",          MISUSE,  1, sf_exec_destroy_live,      CACHE)
SF_OP(PUT_PAGE_FREED,      "put_page_freed",        MISUSE,  1, sf_exec_put_page_freed,    SLOT)
SF_OP(PAGE_REF_UNDERFLOW,  "page_ref_underflow",    MISUSE,  1, sf_exec_page_ref_underflow, SLOT, BYTE)
SF_OP(FREE_BULK_DOUBLE,    "free_bulk_double",      MISUSE,  1, sf_exec_free_bulk_double,  CACHE, COUNT)
SF_OP(RESET,               "reset",                 COMMON,  0, sf_exec_reset)
SF_OP(UAF_READ,            "uaf_read",              MISUSE,  1, sf_exec_uaf_read,          SLOT, BYTE)
SF_OP(OOB_READ,            "oob_read",              MISUSE,  1, sf_exec_oob_read,          SLOT, BYTE)
