import { kubeBody, rseBody, type KubeBody, type RseBody } from './api-client';

/**
 * A woman and a group whose personal data (NIKs, names, phone, address) is easy to search for in
 * anything the service writes: the privacy tests register them and look for every piece.
 */
export const TRACEABLE_WOMAN: RseBody = rseBody({
  name: 'Nurhayati Binti Sulaiman',
  nik: '6472055203900001',
  phone: '0812-5432-1987',
  address: 'Jl. Pangeran Antasari No. 7, Samarinda',
});

export const TRACEABLE_GROUP: KubeBody = kubeBody({
  groupName: 'KUBE Anggrek Hitam',
  members: [
    { nik: '6472051203900002', name: 'Muhammad Syahrani', role: 'CHAIR' },
    { nik: '6402044507850003', name: 'Dayang Kartini', role: 'SECRETARY' },
    { nik: '6471031111800004', name: 'Herman Saragih', role: 'TREASURER' },
    { nik: '6408026912950005', name: 'Rusmini Lestari', role: 'MEMBER' },
    { nik: '6474010101010006', name: 'Yohanes Bria', role: 'MEMBER' },
  ],
});
