/** One page of a list a route answers, with the total the filter matches. */
export interface Page<Item> {
  items: Item[];
  total: number;
  limit: number;
  offset: number;
}
