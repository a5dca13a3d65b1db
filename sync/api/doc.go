// Package api holds the wire types of the Ecert API, shared by ecert-server and the
// desktop sync client, and the OpenAPI document that describes the routes.
package api
