def main():
    square_access_token = "sq0atp-Je-VDtkIJi5GR8-FObU2at"
    return square_access_token
