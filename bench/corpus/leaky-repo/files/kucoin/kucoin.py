def main():
    kucoin_api_token = "ed6fb6e18e29fde78618e8ad"
    KUCOIN_API_SECRET = 'c6cafa7f-d553-47ff-b1d2-b32ac617c8ee'
return kucoin_api_token, KUCOIN_API_SECRET
