/* t_company.c - hierarchy cycle detection and free-mail domains. */
#include "company.h"
#include "test.h"

/* parent[i] is the parent of company i (0: none); -1 for an error. */
static int64_t parent_of(int64_t id, void *arg)
{
	const int64_t *parent = arg;
	return id == 99 ? -1 : parent[id];
}

int main(void)
{
	/* 1 <- 2 <- 3, 4 alone, 5 <- 6 <- 5 (a cycle already in the data) */
	int64_t parent[8] = {0, 0, 1, 2, 0, 6, 5, 99};

	CHECK_INT(crm_company_cycle(4, 3, parent_of, parent, 100), 0,
		  "a company alone may join a group");
	CHECK_INT(crm_company_cycle(3, 1, parent_of, parent, 100), 0,
		  "moving up within a group is fine");
	CHECK_INT(crm_company_cycle(1, 3, parent_of, parent, 100), 1,
		  "the top below its grandchild is a cycle");
	CHECK_INT(crm_company_cycle(1, 2, parent_of, parent, 100), 1,
		  "the top below its child is a cycle");
	CHECK_INT(crm_company_cycle(2, 2, parent_of, parent, 100), 1,
		  "its own parent is a cycle");
	CHECK_INT(crm_company_cycle(4, 0, parent_of, parent, 100), 0,
		  "no parent, no cycle");
	CHECK_INT(crm_company_cycle(4, 5, parent_of, parent, 100), 1,
		  "a walk into an existing cycle ends at max_depth");
	CHECK_INT(crm_company_cycle(4, 7, parent_of, parent, 100), -1,
		  "a failed lookup is an error");
	CHECK(crm_company_free_mail("gmail.com"), "gmail.com is free mail");
	CHECK(!crm_company_free_mail("acme.com"), "acme.com is not");
	return done_testing();
}
