/* normalize_name.c - person names and addresses for matching: nicknames
 * to their formal names, street abbreviations to their long forms. */
#include <stdlib.h>
#include <string.h>

#include "normalize.h"

struct pair {
	const char *from, *to;
};

/* Sorted by from (bsearch). English given names; one formal name per
 * nickname, the most frequent one. */
static const struct pair nicknames[] = {
    {"abby", "abigail"},      {"abe", "abraham"},
    {"al", "albert"},	      {"alex", "alexander"},
    {"alf", "alfred"},	      {"alison", "alison"},
    {"allie", "alison"},      {"ally", "alison"},
    {"andy", "andrew"},	      {"anna", "ann"},
    {"anne", "ann"},	      {"annie", "ann"},
    {"art", "arthur"},	      {"barb", "barbara"},
    {"bea", "beatrice"},      {"becky", "rebecca"},
    {"bella", "isabella"},    {"ben", "benjamin"},
    {"benny", "benjamin"},    {"bernie", "bernard"},
    {"bert", "albert"},	      {"beth", "elizabeth"},
    {"betsy", "elizabeth"},   {"betty", "elizabeth"},
    {"bex", "rebecca"},	      {"bill", "william"},
    {"billy", "william"},     {"bob", "robert"},
    {"bobby", "robert"},      {"brad", "bradley"},
    {"cassie", "cassandra"},  {"cathy", "catherine"},
    {"charlie", "charles"},   {"chas", "charles"},
    {"chris", "christopher"}, {"chrissy", "christine"},
    {"chuck", "charles"},     {"cindy", "cynthia"},
    {"connie", "constance"},  {"dan", "daniel"},
    {"danny", "daniel"},      {"dave", "david"},
    {"davy", "david"},	      {"deb", "deborah"},
    {"debbie", "deborah"},    {"dick", "richard"},
    {"dolly", "dorothy"},     {"don", "donald"},
    {"donny", "donald"},      {"dot", "dorothy"},
    {"dottie", "dorothy"},    {"doug", "douglas"},
    {"ed", "edward"},	      {"eddie", "edward"},
    {"ellie", "eleanor"},     {"fran", "frances"},
    {"frank", "francis"},     {"fred", "frederick"},
    {"freddie", "frederick"}, {"fritz", "frederick"},
    {"gabe", "gabriel"},      {"gail", "abigail"},
    {"gene", "eugene"},	      {"ginny", "virginia"},
    {"greg", "gregory"},      {"hal", "henry"},
    {"hank", "henry"},	      {"harry", "henry"},
    {"ike", "isaac"},	      {"izzy", "isabella"},
    {"jack", "john"},	      {"jacky", "john"},
    {"jake", "jacob"},	      {"jamie", "james"},
    {"jeff", "jeffrey"},      {"jen", "jennifer"},
    {"jenny", "jennifer"},    {"jerry", "gerald"},
    {"jess", "jessica"},      {"jessie", "jessica"},
    {"jim", "james"},	      {"jimmy", "james"},
    {"jo", "joanne"},	      {"joanie", "joanne"},
    {"joe", "joseph"},	      {"joey", "joseph"},
    {"johnny", "john"},	      {"jon", "john"},
    {"josh", "joshua"},	      {"judy", "judith"},
    {"kate", "catherine"},    {"katherine", "catherine"},
    {"kathryn", "catherine"}, {"kathy", "catherine"},
    {"katie", "catherine"},   {"ken", "kenneth"},
    {"kenny", "kenneth"},     {"kim", "kimberly"},
    {"kit", "christopher"},   {"larry", "lawrence"},
    {"len", "leonard"},	      {"lenny", "leonard"},
    {"leo", "leonard"},	      {"lew", "lewis"},
    {"liz", "elizabeth"},     {"lizzie", "elizabeth"},
    {"lottie", "charlotte"},  {"lou", "louis"},
    {"maggie", "margaret"},   {"mamie", "mary"},
    {"mandy", "amanda"},      {"manny", "emmanuel"},
    {"marge", "margaret"},    {"matt", "matthew"},
    {"meg", "margaret"},      {"mel", "melvin"},
    {"mickey", "michael"},    {"mike", "michael"},
    {"millie", "mildred"},    {"mitch", "mitchell"},
    {"molly", "mary"},	      {"nancy", "ann"},
    {"nat", "nathaniel"},     {"nate", "nathan"},
    {"nell", "eleanor"},      {"nick", "nicholas"},
    {"nicky", "nicholas"},    {"nora", "eleanor"},
    {"ollie", "oliver"},      {"pam", "pamela"},
    {"pat", "patrick"},	      {"patty", "patricia"},
    {"peggy", "margaret"},    {"percy", "percival"},
    {"pete", "peter"},	      {"phil", "philip"},
    {"polly", "mary"},	      {"ray", "raymond"},
    {"reg", "reginald"},      {"rich", "richard"},
    {"rick", "richard"},      {"ricky", "richard"},
    {"rob", "robert"},	      {"robbie", "robert"},
    {"rod", "rodney"},	      {"ron", "ronald"},
    {"ronnie", "ronald"},     {"rosie", "rose"},
    {"sally", "sarah"},	      {"sam", "samuel"},
    {"sammy", "samuel"},      {"sandy", "sandra"},
    {"sara", "sarah"},	      {"stan", "stanley"},
    {"steve", "stephen"},     {"steven", "stephen"},
    {"stevie", "stephen"},    {"stu", "stuart"},
    {"sue", "susan"},	      {"susie", "susan"},
    {"suzy", "susan"},	      {"syd", "sydney"},
    {"tad", "thaddeus"},      {"ted", "edward"},
    {"teddy", "edward"},      {"terry", "terence"},
    {"tess", "teresa"},	      {"tessa", "teresa"},
    {"theresa", "teresa"},    {"tim", "timothy"},
    {"timmy", "timothy"},     {"toby", "tobias"},
    {"tom", "thomas"},	      {"tommy", "thomas"},
    {"tony", "anthony"},      {"trish", "patricia"},
    {"trudy", "gertrude"},    {"val", "valerie"},
    {"vern", "vernon"},	      {"vic", "victor"},
    {"vince", "vincent"},     {"wally", "walter"},
    {"walt", "walter"},	      {"wes", "wesley"},
    {"will", "william"},      {"willy", "william"},
    {"winnie", "winifred"},   {"zach", "zachary"},
    {"zack", "zachary"},
};

/* Sorted by from. Applied to whole words of an address key. */
static const struct pair street_words[] = {
    {"apt", "apartment"}, {"av", "avenue"},	 {"ave", "avenue"},
    {"bldg", "building"}, {"blvd", "boulevard"}, {"cir", "circle"},
    {"cl", "close"},	  {"cres", "crescent"},	 {"crt", "court"},
    {"ct", "court"},	  {"dr", "drive"},	 {"e", "east"},
    {"esp", "esplanade"}, {"fl", "floor"},	 {"gdns", "gardens"},
    {"hwy", "highway"},	  {"ln", "lane"},	 {"mt", "mount"},
    {"n", "north"},	  {"ne", "northeast"},	 {"nw", "northwest"},
    {"pde", "parade"},	  {"pk", "park"},	 {"pkwy", "parkway"},
    {"pl", "place"},	  {"pt", "point"},	 {"rd", "road"},
    {"s", "south"},	  {"se", "southeast"},	 {"sq", "square"},
    {"st", "street"},	  {"ste", "suite"},	 {"str", "street"},
    {"sw", "southwest"},  {"tce", "terrace"},	 {"ter", "terrace"},
    {"w", "west"},
};

static int pair_cmp(const void *k, const void *p)
{
	return strcmp(k, ((const struct pair *)p)->from);
}

static const char *lookup(const struct pair *t, size_t n, const char *w)
{
	const struct pair *p = bsearch(w, t, n, sizeof(*t), pair_cmp);

	return p ? p->to : NULL;
}

const char *crm_norm_nickname(const char *key)
{
	const char *to =
	    lookup(nicknames, sizeof(nicknames) / sizeof(nicknames[0]), key);

	return to ? to : key;
}

int crm_norm_address(const char *s, size_t len, struct crm_buf *out)
{
	struct crm_buf k = {0};
	char w[32];
	const char *p;

	if (crm_norm_key(s, len, &k) < 0) {
		crm_buf_release(&k);
		return -1;
	}
	p = crm_buf_str(&k);
	while (*p) {
		size_t n = strcspn(p, " ");
		const char *to = NULL;

		if (n < sizeof(w)) {
			memcpy(w, p, n);
			w[n] = '\0';
			to = lookup(
			    street_words,
			    sizeof(street_words) / sizeof(street_words[0]), w);
		}
		if (out->len && out->s[out->len - 1] != ' ')
			crm_buf_addc(out, ' ');
		if (to)
			crm_buf_adds(out, to);
		else
			crm_buf_add(out, p, n);
		p += n;
		while (*p == ' ')
			p++;
	}
	crm_buf_release(&k);
	return 0;
}
