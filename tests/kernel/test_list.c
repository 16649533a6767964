/*
 * Intrusive lists (core/list.h).
 */
#include "core/kernel.h"
#include "core/ktest.h"
#include "core/list.h"

struct item {
	int value;
	struct list node;
};

/* Writes the values in list order into out; returns how many. */
static int collect(struct list *head, int *out, int max)
{
	int n = 0;
	struct list *pos;
	list_for_each(pos, head)
	{
		if (n < max)
			out[n] = list_entry(pos, struct item, node)->value;
		n++;
	}
	return n;
}

static bool same(const int *a, const int *b, int n)
{
	for (int i = 0; i < n; i++) {
		if (a[i] != b[i])
			return false;
	}
	return true;
}

KTEST(list_push_and_order)
{
	struct list head;
	struct item it[5];
	int got[8];
	list_init(&head);
	KT_CHECK(list_empty(&head));
	KT_CHECK(collect(&head, got, 8) == 0);
	for (int i = 0; i < 5; i++)
		it[i].value = i;
	list_push_back(&head, &it[1].node);
	list_push_back(&head, &it[2].node);
	list_push_front(&head, &it[0].node);
	list_push_back(&head, &it[3].node);
	list_push_front(&head, &it[4].node);
	KT_CHECK(!list_empty(&head));
	static const int want[] = {4, 0, 1, 2, 3};
	KT_CHECK(collect(&head, got, 8) == 5 && same(got, want, 5));
	KT_CHECK(list_first_entry(&head, struct item, node) == &it[4]);
	KT_CHECK(head.prev == &it[3].node);
	/* backward links agree with forward ones */
	int n = 0;
	for (struct list *p = head.prev; p != &head; p = p->prev)
		got[n++] = list_entry(p, struct item, node)->value;
	static const int back[] = {3, 2, 1, 0, 4};
	KT_CHECK(n == 5 && same(got, back, 5));
}

KTEST(list_remove_and_reinsert)
{
	struct list head = LIST_INIT(head);
	struct item it[4];
	int got[8];
	KT_CHECK(list_empty(&head));
	for (int i = 0; i < 4; i++) {
		it[i].value = i * 10;
		list_push_back(&head, &it[i].node);
	}
	list_remove(&it[1].node);
	/* a removed node points to itself */
	KT_CHECK(it[1].node.next == &it[1].node && it[1].node.prev == &it[1].node);
	static const int w1[] = {0, 20, 30};
	KT_CHECK(collect(&head, got, 8) == 3 && same(got, w1, 3));
	list_remove(&it[0].node);
	list_remove(&it[3].node);
	static const int w2[] = {20};
	KT_CHECK(collect(&head, got, 8) == 1 && same(got, w2, 1));
	list_insert_between(&it[1].node, &head, head.next);
	list_insert_between(&it[3].node, head.prev, &head);
	static const int w3[] = {10, 20, 30};
	KT_CHECK(collect(&head, got, 8) == 3 && same(got, w3, 3));
	list_remove(&it[1].node);
	list_remove(&it[2].node);
	list_remove(&it[3].node);
	KT_CHECK(list_empty(&head));
}

KTEST(list_for_each_safe_removal)
{
	struct list head;
	struct item it[10];
	int got[16];
	list_init(&head);
	for (int i = 0; i < 10; i++) {
		it[i].value = i;
		list_push_back(&head, &it[i].node);
	}
	/* remove the odd ones while walking */
	struct list *pos, *tmp;
	int visited = 0;
	list_for_each_safe(pos, tmp, &head)
	{
		visited++;
		if (list_entry(pos, struct item, node)->value & 1)
			list_remove(pos);
	}
	KT_CHECK(visited == 10);
	static const int even[] = {0, 2, 4, 6, 8};
	KT_CHECK(collect(&head, got, 16) == 5 && same(got, even, 5));
	list_for_each_safe(pos, tmp, &head) list_remove(pos);
	KT_CHECK(list_empty(&head));
}
