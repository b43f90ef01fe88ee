"""The order the API benchmarks send (no locust import: it patches threads)."""


def api_order(order_number: str) -> dict:
    """华东 → San Francisco, 500 g, one T-shirt: what an ERP sends."""
    return {
        "order_number": order_number,
        "origin": "east",
        "weight_g": 500,
        "recipient": {
            "name": "Jane Doe",
            "address": "1 Market St",
            "city": "San Francisco",
            "state": "CA",
            "postcode": "94105",
            "country": "US",
        },
        "items": [
            {
                "description": "Cotton T-shirt",
                "quantity": 1,
                "unit_value": "12.50",
                "currency": "USD",
                "unit_weight_g": 250,
                "hs_code": "610910",
                "sku": "TS-001",
            }
        ],
    }
