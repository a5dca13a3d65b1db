// Package datadir says where Ecert Desktop keeps its data on each OS unless told
// otherwise: the user's per-application data folder.
package datadir
