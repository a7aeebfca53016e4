/*
 * strata.h: the umbrella header of libstrata, the schema lifecycle manager.
 * Programs include this one header; everything the strata CLI does is here.
 */
#ifndef STRATA_H
#define STRATA_H

#include "strata/common.h"
#include "strata/errors.h"
#include "strata/buf.h"
#include "strata/source.h"
#include "strata/project.h"
#include "strata/migrate.h"
#include "strata/lint.h"
#include "strata/schema.h"

#endif
