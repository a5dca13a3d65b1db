// Package directory is the operator directory on the server: the public facts of every
// Fairtrade operator (generated for the demo and benchmarks), its pages for clients and
// the analyst's suspension and reinstatement of an operator.
package directory
