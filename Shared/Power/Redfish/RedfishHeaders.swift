import NIOHTTP1

/// Headers every Redfish request carries (DSP0266 §8.1.1).
enum RedfishHeaders {
    static var json: HTTPHeaders {
        [
            "Accept": "application/json",
            "Content-Type": "application/json; charset=utf-8",
            "OData-Version": "4.0",
        ]
    }
}
