/*
 * Forced first include (-include) of every file of the recording harness
 * build (sfharness_rec, harness/CMakeLists.txt): the kalloc API calls the
 * harness makes become calls of the recorder's wrappers (record_calls.c),
 * which make the same call and write it down. The public headers are
 * included first, so that their prototypes keep the real names.
 */
#ifndef SF_RECORD_WRAP_H
#define SF_RECORD_WRAP_H

#include <kalloc/kalloc.h>

#include "tools/record.h"

#define SFR_WRAPPERS(X)							\
	X(void *, kmalloc, (size_t a, gfp_t b), (a, b))			\
	X(void *, kzalloc, (size_t a, gfp_t b), (a, b))			\
	X(void *, kcalloc, (size_t a, size_t b, gfp_t c), (a, b, c))	\
	X(void *, kmalloc_array, (size_t a, size_t b, gfp_t c), (a, b, c)) \
	X(void *, krealloc, (const void *a, size_t b, gfp_t c), (a, b, c)) \
	X(void *, krealloc_array, (void *a, size_t b, size_t c, gfp_t d), (a, b, c, d)) \
	X(void *, kmemdup, (const void *a, size_t b, gfp_t c), (a, b, c)) \
	X(void, kfree, (const void *a), (a))				\
	X(void, kfree_sensitive, (const void *a), (a))			\
	X(size_t, ksize, (const void *a), (a))				\
	X(struct kmem_cache *, kmem_cache_create, (const char *a, unsigned int b, \
	  unsigned int c, slab_flags_t d, void (*e)(void *)), (a, b, c, d, e)) \
	X(void *, kmem_cache_alloc, (struct kmem_cache *a, gfp_t b), (a, b)) \
	X(void *, kmem_cache_zalloc, (struct kmem_cache *a, gfp_t b), (a, b)) \
	X(void, kmem_cache_free, (struct kmem_cache *a, void *b), (a, b)) \
	X(int, kmem_cache_alloc_bulk, (struct kmem_cache *a, gfp_t b, size_t c, \
	  void **d), (a, b, c, d))					\
	X(void, kmem_cache_free_bulk, (struct kmem_cache *a, size_t b, void **c), \
	  (a, b, c))							\
	X(int, kmem_cache_shrink, (struct kmem_cache *a), (a))		\
	X(void, kmem_cache_destroy, (struct kmem_cache *a), (a))	\
	X(struct page *, alloc_pages, (gfp_t a, unsigned int b), (a, b)) \
	X(void, __free_pages, (struct page *a, unsigned int b), (a, b))	\
	X(void, free_pages, (unsigned long a, unsigned int b), (a, b))	\
	X(void, get_page, (struct page *a), (a))			\
	X(void, put_page, (struct page *a), (a))			\
	X(void *, vmalloc, (unsigned long a), (a))			\
	X(void *, vzalloc, (unsigned long a), (a))			\
	X(void, vfree, (const void *a), (a))				\
	X(void *, kvmalloc, (size_t a, gfp_t b), (a, b))		\
	X(void *, kvzalloc, (size_t a, gfp_t b), (a, b))		\
	X(void, kvfree, (const void *a), (a))				\
	X(void, kalloc_set_cpu, (unsigned int a), (a))			\
	X(unsigned long, kalloc_reclaim, (gfp_t a), (a))		\
	X(int, kalloc_validate, (void), ())				\
	X(int, kalloc_validate_touched, (void), ())			\
	X(int, kalloc_validate_range, (const void *a, size_t b), (a, b)) \
	X(void, kalloc_reset, (void), ())				\
	X(int, kalloc_init, (const struct kalloc_config *a), (a))	\
	X(int, kalloc_reset_config, (const struct kalloc_config *a), (a)) \
	X(int, kalloc_switch, (const struct kalloc_config *a), (a))	\
	X(int, register_shrinker, (struct shrinker *a, const char *b), (a, b)) \
	X(void, unregister_shrinker, (struct shrinker *a), (a))		\
	/* questions: written down only in the op of a finding */	\
	X(struct kmem_cache *, virt_to_cache, (const void *a), (a))	\
	X(unsigned int, kmem_cache_size, (struct kmem_cache *a), (a))	\
	X(struct kmem_cache *, kmalloc_slab, (size_t a, gfp_t b), (a, b)) \
	X(size_t, kmalloc_size_roundup, (size_t a), (a))		\
	X(int, page_count, (const struct page *a), (a))			\
	X(bool, PageHead, (const struct page *a), (a))			\
	X(bool, PageTail, (const struct page *a), (a))			\
	X(bool, PageCompound, (const struct page *a), (a))		\
	X(bool, PageBuddy, (const struct page *a), (a))			\
	X(bool, PageSlab, (const struct page *a), (a))			\
	X(unsigned int, compound_order, (const struct page *a), (a))	\
	X(struct page *, compound_head, (const struct page *a), (a))	\
	X(unsigned long, page_to_pfn, (const struct page *a), (a))	\
	X(struct page *, pfn_to_page, (unsigned long a), (a))		\
	X(void *, page_address, (const struct page *a), (a))		\
	X(struct page *, virt_to_page, (const void *a), (a))		\
	X(struct page *, vmalloc_to_page, (const void *a), (a))		\
	X(bool, is_vmalloc_addr, (const void *a), (a))

#define SFR_PROTO(ret, name, params, args) ret sfr_##name params;
SFR_WRAPPERS(SFR_PROTO)
#undef SFR_PROTO

#define kmalloc(...)			sfr_kmalloc(__VA_ARGS__)
#define kzalloc(...)			sfr_kzalloc(__VA_ARGS__)
#define kcalloc(...)			sfr_kcalloc(__VA_ARGS__)
#define kmalloc_array(...)		sfr_kmalloc_array(__VA_ARGS__)
#define krealloc(...)			sfr_krealloc(__VA_ARGS__)
#define krealloc_array(...)		sfr_krealloc_array(__VA_ARGS__)
#define kmemdup(...)			sfr_kmemdup(__VA_ARGS__)
#define kfree(...)			sfr_kfree(__VA_ARGS__)
#define kfree_sensitive(...)		sfr_kfree_sensitive(__VA_ARGS__)
#define ksize(...)			sfr_ksize(__VA_ARGS__)
#define kmem_cache_create(...)		sfr_kmem_cache_create(__VA_ARGS__)
#define kmem_cache_alloc(...)		sfr_kmem_cache_alloc(__VA_ARGS__)
#define kmem_cache_zalloc(...)		sfr_kmem_cache_zalloc(__VA_ARGS__)
#define kmem_cache_free(...)		sfr_kmem_cache_free(__VA_ARGS__)
#define kmem_cache_alloc_bulk(...)	sfr_kmem_cache_alloc_bulk(__VA_ARGS__)
#define kmem_cache_free_bulk(...)	sfr_kmem_cache_free_bulk(__VA_ARGS__)
#define kmem_cache_shrink(...)		sfr_kmem_cache_shrink(__VA_ARGS__)
#define kmem_cache_destroy(...)		sfr_kmem_cache_destroy(__VA_ARGS__)
#define alloc_pages(...)		sfr_alloc_pages(__VA_ARGS__)
#define __free_pages(...)		sfr___free_pages(__VA_ARGS__)
#define free_pages(...)			sfr_free_pages(__VA_ARGS__)
#define get_page(...)			sfr_get_page(__VA_ARGS__)
#define put_page(...)			sfr_put_page(__VA_ARGS__)
#define vmalloc(...)			sfr_vmalloc(__VA_ARGS__)
#define vzalloc(...)			sfr_vzalloc(__VA_ARGS__)
#define vfree(...)			sfr_vfree(__VA_ARGS__)
#define kvmalloc(...)			sfr_kvmalloc(__VA_ARGS__)
#define kvzalloc(...)			sfr_kvzalloc(__VA_ARGS__)
#define kvfree(...)			sfr_kvfree(__VA_ARGS__)
#define kalloc_set_cpu(...)		sfr_kalloc_set_cpu(__VA_ARGS__)
#define kalloc_reclaim(...)		sfr_kalloc_reclaim(__VA_ARGS__)
#define kalloc_validate()		sfr_kalloc_validate()
#define kalloc_validate_touched()	sfr_kalloc_validate_touched()
#define kalloc_validate_range(...)	sfr_kalloc_validate_range(__VA_ARGS__)
#define kalloc_reset()			sfr_kalloc_reset()
#define kalloc_init(...)		sfr_kalloc_init(__VA_ARGS__)
#define kalloc_reset_config(...)	sfr_kalloc_reset_config(__VA_ARGS__)
#define kalloc_switch(...)		sfr_kalloc_switch(__VA_ARGS__)
#define register_shrinker(...)		sfr_register_shrinker(__VA_ARGS__)
#define unregister_shrinker(...)	sfr_unregister_shrinker(__VA_ARGS__)
#define virt_to_cache(...)		sfr_virt_to_cache(__VA_ARGS__)
#define kmem_cache_size(...)		sfr_kmem_cache_size(__VA_ARGS__)
#define kmalloc_slab(...)		sfr_kmalloc_slab(__VA_ARGS__)
#define kmalloc_size_roundup(...)	sfr_kmalloc_size_roundup(__VA_ARGS__)
#define page_count(...)			sfr_page_count(__VA_ARGS__)
#define PageHead(...)			sfr_PageHead(__VA_ARGS__)
#define PageTail(...)			sfr_PageTail(__VA_ARGS__)
#define PageCompound(...)		sfr_PageCompound(__VA_ARGS__)
#define PageBuddy(...)			sfr_PageBuddy(__VA_ARGS__)
#define PageSlab(...)			sfr_PageSlab(__VA_ARGS__)
#define compound_order(...)		sfr_compound_order(__VA_ARGS__)
#define compound_head(...)		sfr_compound_head(__VA_ARGS__)
#define page_to_pfn(...)		sfr_page_to_pfn(__VA_ARGS__)
#define pfn_to_page(...)		sfr_pfn_to_page(__VA_ARGS__)
#define page_address(...)		sfr_page_address(__VA_ARGS__)
#define virt_to_page(...)		sfr_virt_to_page(__VA_ARGS__)
#define vmalloc_to_page(...)		sfr_vmalloc_to_page(__VA_ARGS__)
#define is_vmalloc_addr(...)		sfr_is_vmalloc_addr(__VA_ARGS__)

#endif /* SF_RECORD_WRAP_H */
