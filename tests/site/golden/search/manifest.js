SiteBuilderSearch.receive("manifest",{"b":0.75,"block":1000,"docs":5,"filters":{"category":"\u0001c","unit":"\u0001u","year":"\u0001y"},"k1":1.2,"shards":1,"version":1});
