// Our own minimal protobuf definition of containerd's Images service: only the fields we read.
// Method paths and field numbers are what travel on the wire (the same from 1.6 to 2.x);
// protobuf skips unknown fields, so newer daemons' additions are harmless.

export const imagesProto = `
syntax = "proto3";
`;
