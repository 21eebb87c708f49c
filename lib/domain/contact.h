/* contact.h - the contact entity (people). */
#ifndef CRM_CONTACT_H
#define CRM_CONTACT_H

#include "entity.h"

extern const struct crm_entity crm_contact_entity;

#endif
