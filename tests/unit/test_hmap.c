/*
 * test_hmap: string interning.  Ids are dense and stable, keys are copied,
 * and running out of memory leaves the map as it was.
 */
#include "testutil.h"

#include "hmap.h"

static void
test_intern(void **state)
{
	struct hs_hmap m;
	char key[8] = "abc";
	size_t len;
	int added;

	(void)state;
	hs_hmap_init(&m);
	assert_int_equal(hs_hmap_find(&m, "abc", 3), UINT32_MAX);
	assert_int_equal(hs_hmap_intern(&m, key, 3, &added), 0);
	assert_true(added);
	/* The key was copied: changing ours changes nothing. */
	key[0] = 'X';
	assert_int_equal(hs_hmap_find(&m, "abc", 3), 0);
	assert_int_equal(hs_hmap_find(&m, "Xbc", 3), UINT32_MAX);
	assert_int_equal(hs_hmap_intern(&m, "def", 3, &added), 1);
	assert_true(added);
	assert_int_equal(hs_hmap_intern(&m, "abc", 3, &added), 0);
	assert_false(added);
	assert_int_equal(hs_hmap_intern(&m, "abc", 3, NULL), 0);
	/* Prefixes, the empty key and embedded NULs are distinct keys. */
	assert_int_equal(hs_hmap_intern(&m, "ab", 2, NULL), 2);
	assert_int_equal(hs_hmap_intern(&m, "", 0, NULL), 3);
	assert_int_equal(hs_hmap_intern(&m, "ab\0c", 4, NULL), 4);
	assert_int_equal(hs_hmap_intern(&m, "ab\0d", 4, NULL), 5);
	assert_int_equal(hs_hmap_find(&m, "ab\0c", 4), 4);
	assert_int_equal(m.count, 6);
	assert_string_equal(hs_hmap_key(&m, 0, &len), "abc");
	assert_int_equal(len, 3);
	assert_string_equal(hs_hmap_key(&m, 3, &len), "");
	assert_int_equal(len, 0);
	assert_memory_equal(hs_hmap_key(&m, 4, &len), "ab\0c", 5);
	assert_int_equal(len, 4);
	assert_string_equal(hs_hmap_key(&m, 1, NULL), "def");
	hs_hmap_free(&m);
	/* A freed map is empty and usable. */
	assert_int_equal(hs_hmap_find(&m, "abc", 3), UINT32_MAX);
	assert_int_equal(hs_hmap_intern(&m, "abc", 3, NULL), 0);
	hs_hmap_free(&m);
}

static void
test_many(void **state)
{
	struct hs_hmap m;
	char key[32];
	uint32_t i, n = 50000;
	size_t len;
	int added;

	(void)state;
	hs_hmap_init(&m);
	for (i = 0; i < n; i++) {
		len = (size_t)snprintf(key, sizeof(key), "key-%u", i * 7919u);
		assert_int_equal(hs_hmap_intern(&m, key, len, &added), i);
		assert_true(added);
	}
	/* After many rehashes, every id and key is still right. */
	for (i = 0; i < n; i++) {
		const char *k;

		len = (size_t)snprintf(key, sizeof(key), "key-%u", i * 7919u);
		assert_int_equal(hs_hmap_find(&m, key, len), i);
		k = hs_hmap_key(&m, i, &len);
		assert_int_equal(len, strlen(key));
		assert_string_equal(k, key);
	}
	assert_int_equal(hs_hmap_find(&m, "key-1", 5), UINT32_MAX);
	assert_int_equal(m.count, n);
	hs_hmap_free(&m);
}

static void
test_hash(void **state)
{
	(void)state;
	assert_int_equal(hs_hash("abc", 3), hs_hash("abc", 3));
	assert_true(hs_hash("abc", 3) != hs_hash("abd", 3));
	assert_true(hs_hash("abc", 3) != hs_hash("abc", 2));
	assert_true(hs_hash("", 0) != hs_hash("\0", 1));
}

static void
test_out_of_memory(void **state)
{
	struct hs_hmap m;
	char key[32];
	uint32_t i, id, next = 0;
	unsigned long n;
	size_t len;

	(void)state;
	hs_hmap_init(&m);
	/* Fail each allocation in turn while interning new keys. */
	for (n = 1; n <= 6; n++) {
		for (i = 0; i < 300; i++) {
			len = (size_t)snprintf(key, sizeof(key), "k%lu-%u", n,
			    i);
			hs_alloc_fail_at(n);
			id = hs_hmap_intern(&m, key, len, NULL);
			hs_alloc_fail_at(0);
			if (id == UINT32_MAX) {
				/* Not added, and the map still works. */
				assert_int_equal(m.count, next);
				assert_int_equal(hs_hmap_find(&m, key, len),
				    UINT32_MAX);
				id = hs_hmap_intern(&m, key, len, NULL);
			}
			assert_int_equal(id, next);
			next++;
		}
	}
	for (i = 0; i < next; i++) {
		const char *k = hs_hmap_key(&m, i, &len);

		assert_int_equal(hs_hmap_find(&m, k, len), i);
	}
	hs_hmap_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intern),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
