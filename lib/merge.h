/* merge.h - merging duplicate records and undoing merges. */
#ifndef CRM_MERGE_H
#define CRM_MERGE_H

#include "entity.h"

#endif
